"""The read-only Wagtail API at /api/v2/: published partners, projects, standard pages and
knowledge items.

Only live, public pages of those types are served (never drafts, the home page, the
directories or a community's members-only items), with the fields their models list in
``api_fields`` — public fields only. The listing can be filtered with ``status`` (projects),
``sdg`` (goal number), ``sector`` and ``region`` (slugs), with or without ``type``. A typed
listing fetches every related row it shows with select_related / prefetch_related, so its
query count does not grow with its length.
"""

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
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
from knowledge.models import KnowledgeItemPage
from partners.models import PartnerPage
from projects.models import ProjectPage

PUBLIC_PAGE_MODELS = (PartnerPage, ProjectPage, StandardPage, KnowledgeItemPage)

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


def _goal_number(value):
    """A number a column can hold (not a number, or one too large: ValueError)."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


class CommaValuesField(forms.Field):
    """One or more comma-separated values (absent: no filter); ``coerce`` converts each."""

    def __init__(self, *, coerce=str, invalid="", **kwargs):
        self.coerce, self.invalid = coerce, invalid
        super().__init__(**kwargs)

    def to_python(self, value):
        if value is None:
            return None
        values = [item.strip() for item in value.split(",") if item.strip()]
        if "\x00" in value or not values:
            raise ValidationError("give one or more values")
        try:
            return [self.coerce(item) for item in values]
        except ValueError as error:
            raise ValidationError(self.invalid) from error


class CommaValuesFilter(django_filters.Filter):
    field_class = CommaValuesField


class TaxonomyFilterSet(django_filters.FilterSet):
    """``?status=active&sdg=4&sector=education&region=barcelones`` on any of the public types.

    Each parameter may hold several comma-separated values (any of them matches); different
    parameters must all match. A page type without the field never matches that parameter.
    """

    status = CommaValuesFilter(method="filter_taxonomy")
    sdg = CommaValuesFilter(
        method="filter_taxonomy", coerce=_goal_number, invalid="use goal numbers (1-17)"
    )
    sector = CommaValuesFilter(method="filter_taxonomy")
    region = CommaValuesFilter(method="filter_taxonomy")

    def filter_taxonomy(self, queryset, name, values):
        field_name, lookup = TAXONOMY_FILTERS[name]
        condition = Q()
        for model in PUBLIC_PAGE_MODELS:
            related = issubclass(queryset.model, model) or issubclass(model, queryset.model)
            if related and _has_field(model, field_name):
                # A subquery rather than a join: no duplicate rows, no DISTINCT needed.
                matching = model.objects.filter(**{f"{lookup}__in": values}).values("pk")
                condition |= Q(pk__in=matching)
        return queryset.filter(condition) if condition else queryset.none()


class TaxonomyFilter(BaseFilterBackend):
    """The API's filter backend for ``TaxonomyFilterSet``: a bad value is a 400 that names
    its parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = TaxonomyFilterSet(request.GET, queryset=queryset)
        if not filterset.is_valid():
            name, errors = next(iter(filterset.errors.items()))
            raise BadRequestError(f"{name} filter error: {errors[0]}")
        return filterset.qs


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
        if isinstance(field, TaggableManager) or field.many_to_many or field.one_to_many:
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
        # A members-only item also carries a view restriction, which ``public()`` (Wagtail's
        # base queryset) leaves out; the flag is checked too, should the two ever disagree.
        members_only = KnowledgeItemPage.objects.filter(members_only=True).values("pk")
        return super().get_base_queryset().type(*PUBLIC_PAGE_MODELS).exclude(pk__in=members_only)

    def get_queryset(self):
        queryset = super().get_queryset()
        select, prefetch = _related_lookups(queryset.model)
        queryset = queryset.select_related(*select)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
