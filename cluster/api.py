"""The read-only Wagtail API at /api/v2/: published partners, projects and standard pages.

Only live, public pages of those three types are served (never drafts, the home page or the
directories), with the fields their models list in ``api_fields`` — public fields only. The
listing can be filtered with ``status`` (projects), ``sdg`` (goal number), ``sector`` and
``region`` (slugs), with or without ``type``. A typed listing fetches every related row it
shows with select_related / prefetch_related, so its query count does not grow with its length.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, Q
from django.http import QueryDict
from rest_framework.filters import BaseFilterBackend
from taggit.managers import TaggableManager
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images import get_image_model

from core.ids import parse_id
from home.models import StandardPage
from partners.models import PartnerPage
from projects.models import ProjectPage

PUBLIC_PAGE_MODELS = (PartnerPage, ProjectPage, StandardPage)

# query parameter -> the lookup it filters on, on every model that has the field.
TAXONOMY_FILTERS = {
    "status": ("status", "status"),
    "sdg": ("sdgs", "sdgs__number"),
    "sector": ("sectors", "sectors__slug"),
    "region": ("region", "region__slug"),
}


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class TaxonomyFilter(BaseFilterBackend):
    """``?status=active&sdg=4&sector=education&region=barcelones`` on any of the public types.

    Each parameter may hold several comma-separated values (any of them matches); different
    parameters must all match. A page type without the field never matches that parameter.
    """

    def filter_queryset(self, request, queryset, view):
        for param, (field_name, lookup) in TAXONOMY_FILTERS.items():
            raw = request.GET.get(param)
            if raw is None:
                continue
            values = [value.strip() for value in raw.split(",") if value.strip()]
            if "\x00" in raw or not values:
                raise BadRequestError(f"{param} filter error: give one or more values")
            if param == "sdg":
                values = [parse_id(value) for value in values]
                if None in values:  # not a number, or one no column holds
                    raise BadRequestError("sdg filter error: use goal numbers (1-17)")
            condition = Q()
            for model in PUBLIC_PAGE_MODELS:
                related = issubclass(queryset.model, model) or issubclass(model, queryset.model)
                if related and _has_field(model, field_name):
                    # A subquery rather than a join: no duplicate rows, no DISTINCT needed.
                    matching = model.objects.filter(**{f"{lookup}__in": values}).values("pk")
                    condition |= Q(pk__in=matching)
            queryset = queryset.filter(condition) if condition else queryset.none()
        return queryset


class FieldsFilterWithoutTaxonomy(FieldsFilter):
    """Wagtail's field filter, leaving the taxonomy parameters to ``TaxonomyFilter``.

    (Otherwise ``region=barcelones`` would be read as a region primary key.)
    """

    def filter_queryset(self, request, queryset, view):
        class _Request:
            GET = QueryDict(mutable=True)

        for key, values in request.GET.lists():
            if key not in TAXONOMY_FILTERS:
                _Request.GET.setlist(key, values)
        return super().filter_queryset(_Request, queryset, view)


def _related_lookups(model):
    """select_related / prefetch_related for every relation a model exposes in its API."""
    # Page URLs read the page's locale.
    select, prefetch = ["locale"], []
    image_model = get_image_model()
    for api_field in getattr(model, "api_fields", []):
        try:
            field = model._meta.get_field(api_field.name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, TaggableManager) or field.many_to_many:
            prefetch.append(field.name)
        elif field.many_to_one and field.related_model is image_model:
            renditions = image_model.objects.prefetch_renditions()
            prefetch.append(Prefetch(field.name, queryset=renditions))
        elif field.many_to_one:
            select.append(field.name)
    return select, prefetch


class PublicPagesAPIViewSet(PagesAPIViewSet):
    filter_backends = [
        FieldsFilterWithoutTaxonomy,
        TaxonomyFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        TranslationOfFilter,
        LocaleFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(TAXONOMY_FILTERS)

    def get_base_queryset(self):
        return super().get_base_queryset().type(*PUBLIC_PAGE_MODELS)

    def get_queryset(self):
        queryset = super().get_queryset()
        select, prefetch = _related_lookups(queryset.model)
        queryset = queryset.select_related(*select)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
