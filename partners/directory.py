"""The partner directory at /partners/: its filter set, its listing and its open-data export.

One ``FilterSet`` reads the GET parameters; the page and the ``?format=csv|json`` export run
the same filters, so a filtered view is a link that can be shared or downloaded. Facets:
``kind``, ``sector`` (slugs), ``sdg`` (numbers), ``region`` (slugs), ``offers`` and ``seeks``
(tag slugs), and the capability profile: ``served`` (region slugs), ``service``,
``target_group``, ``language``, ``quality_label`` (codes of editors' ``CapabilityTerm``s in
use, ``partners.capabilities``), ``staff`` and
``volunteers`` (size bands): any of the chosen values within a facet, every facet at once;
``q`` is a Wagtail full-text search over name, summary, description, city, tags and sectors.
A value that is not known drops its facet and is named in ``errors`` (the export answers
400 with them).

``PAGECACHE_PARAMS`` are the parameters the anonymous page cache may key a cached directory
page on (registered in ``wagtail_hooks.py``); anything else in the URL bypasses the cache.
"""

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag
from wagtail.images import get_image_model

from core import opendata
from core.results import KeptResults
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from taxonomy.tags import approved, tag_label

from . import capabilities
from .forms import SdgChoiceField
from .models import PartnerCapability, PartnerOfferTag, PartnerPage, PartnerSeekTag

DIRECTORY_PAGE_SIZE = 12
# The rendition the directory's cards show, prefetched with the logos.
LOGO_CARD = "max-160x80"
FACETS = (
    "kind",
    "sector",
    "sdg",
    "region",
    "offers",
    "seeks",
    "served",
    "service",
    "target_group",
    "language",
    "quality_label",
    "staff",
    "volunteers",
)
PAGECACHE_PARAMS = ("q", "page", *FACETS)


def offered_tags():
    # Proposed tags stay on the profile that has them but are no filter until approved.
    return approved(
        Tag.objects.filter(
            pk__in=PartnerOfferTag.objects.filter(content_object__live=True).values("tag_id")
        )
    ).order_by("name")


def sought_tags():
    return approved(
        Tag.objects.filter(
            pk__in=PartnerSeekTag.objects.filter(content_object__live=True).values("tag_id")
        )
    ).order_by("name")


def directory_queryset():
    """Published organizations with what a card or an export shows, prefetched."""
    Image = get_image_model()
    return (
        PartnerPage.objects.live()
        .public()
        .select_related("region")
        .prefetch_related(
            "sectors",
            "sdgs",
            "capabilities",
            "territories",
            Prefetch("offer_items", queryset=PartnerOfferTag.objects.select_related("tag")),
            Prefetch("seek_items", queryset=PartnerSeekTag.objects.select_related("tag")),
            Prefetch("logo", queryset=Image.objects.prefetch_renditions(LOGO_CARD)),
        )
    )


# --- The filter set ---------------------------------------------------------------------------


class DirectoryFilterForm(forms.Form):
    """The filter set's form: an unknown value is reported in the visitor's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sector", "sdg", "region", "offers", "seeks", "served"):
            message = _("“%(value)s” is not a known %(facet)s; that filter was left out.") % {
                "value": "%(value)s",
                "facet": str(self.fields[name].label).lower(),
            }
            self.fields[name].error_messages["invalid_choice"] = message
            self.fields[name].error_messages["invalid_pk_value"] = message.replace(
                "%(value)s", "%(pk)s"
            )
        for name in ("kind", *capabilities.FACETS, "staff", "volunteers"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "“%(value)s” is not a known %(facet)s; that filter was left out."
            ) % {"value": "%(value)s", "facet": str(self.fields[name].label).lower()}


class SdgFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SdgChoiceField


class TagChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Tags labelled in the visitor's language (``taxonomy.tags``)."""

    def label_from_instance(self, obj):
        return tag_label(obj)


class TagFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = TagChoiceField


def _facet(filter_class, label, **kwargs):
    return filter_class(
        label=label, widget=forms.CheckboxSelectMultiple, method="filter_facet", **kwargs
    )


class PartnerFilter(django_filters.FilterSet):
    """The directory's GET parameters and the filters they make; the search runs last.

    Each facet filters through its own indexed table with a primary-key subquery (not a join),
    so no organization is listed twice and no DISTINCT is needed.
    """

    q = django_filters.CharFilter(label=gettext_lazy("Search"), max_length=200, method="keep")
    kind = _facet(
        django_filters.MultipleChoiceFilter, gettext_lazy("Kind"), choices=PartnerPage.Kind.choices
    )
    sector = _facet(
        django_filters.ModelMultipleChoiceFilter,
        gettext_lazy("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
    )
    sdg = _facet(
        SdgFilter,
        gettext_lazy("Sustainable Development Goal"),
        queryset=SustainableDevelopmentGoal.objects.all(),
        to_field_name="number",
        bad_request=False,  # a filter: a number no key holds is reported like any unknown value
    )
    region = _facet(
        django_filters.ModelMultipleChoiceFilter,
        gettext_lazy("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
    )
    offers = _facet(
        TagFilter,
        gettext_lazy("Offers"),
        queryset=lambda request: offered_tags(),
        to_field_name="slug",
    )
    seeks = _facet(
        TagFilter,
        gettext_lazy("Seeks"),
        queryset=lambda request: sought_tags(),
        to_field_name="slug",
    )

    served = _facet(
        django_filters.ModelMultipleChoiceFilter,
        gettext_lazy("Territories served"),
        queryset=Region.objects.all(),
        to_field_name="slug",
    )
    service = _facet(
        django_filters.MultipleChoiceFilter,
        capabilities.FACET_LABELS["service"],
        choices=(),  # the terms in use, set by __init__
    )
    target_group = _facet(
        django_filters.MultipleChoiceFilter,
        capabilities.FACET_LABELS["target_group"],
        choices=(),  # the terms in use, set by __init__
    )
    language = _facet(
        django_filters.MultipleChoiceFilter,
        capabilities.FACET_LABELS["language"],
        choices=(),  # the terms in use, set by __init__
    )
    quality_label = _facet(
        django_filters.MultipleChoiceFilter,
        capabilities.FACET_LABELS["quality_label"],
        choices=(),  # the terms in use, set by __init__
    )
    staff = _facet(
        django_filters.MultipleChoiceFilter,
        gettext_lazy("Paid staff"),
        choices=capabilities.SIZE_BANDS,
    )
    volunteers = _facet(
        django_filters.MultipleChoiceFilter,
        gettext_lazy("Volunteers"),
        choices=capabilities.SIZE_BANDS,
    )

    # Which rows each facet's values select, as a subquery of primary keys where the facet
    # lives in another table.
    LOOKUPS = {
        "kind": lambda values: {"kind__in": values},
        "region": lambda values: {"region__in": values},
        "sector": lambda values: {
            "pk__in": PartnerPage.sectors.through.objects.filter(sector__in=values).values(
                "partnerpage_id"
            )
        },
        "sdg": lambda values: {
            "pk__in": PartnerPage.sdgs.through.objects.filter(
                sustainabledevelopmentgoal__in=values
            ).values("partnerpage_id")
        },
        "offers": lambda values: {
            "pk__in": PartnerOfferTag.objects.filter(tag__in=values).values("content_object_id")
        },
        "seeks": lambda values: {
            "pk__in": PartnerSeekTag.objects.filter(tag__in=values).values("content_object_id")
        },
        "served": lambda values: {
            "pk__in": PartnerPage.territories.through.objects.filter(region__in=values).values(
                "partnerpage_id"
            )
        },
        "staff": lambda values: {"staff_band__in": values},
        "volunteers": lambda values: {"volunteer_band__in": values},
        **{
            facet: (
                lambda values, facet=facet: {
                    "pk__in": PartnerCapability.objects.filter(
                        facet=facet, value__in=values
                    ).values("page_id")
                }
            )
            for facet in capabilities.FACETS
        },
    }

    class Meta:
        model = PartnerPage
        fields = []
        form = DirectoryFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Editors' terms, named in the visitor's language; retired ones are not offered (a
        # retired code in the URL is reported as unknown and its facet left out).
        for facet in capabilities.FACETS:
            self.filters[facet].extra["choices"] = capabilities.choices(facet)

    def filter_facet(self, queryset, name, value):
        # An empty model choice is an empty queryset, which django-filter does not skip.
        if not value:
            return queryset
        return queryset.filter(**self.LOOKUPS[name](value))

    def keep(self, queryset, name, value):
        # The search is not a filter: Wagtail's search results cannot be filtered further, so
        # ``partner_directory`` runs it over the filtered set.
        return queryset

    @property
    def query(self):
        self.errors  # noqa: B018 - validates the form once
        return (self.form.cleaned_data.get("q") or "").strip()


# --- The listing ------------------------------------------------------------------------------


@dataclass
class Directory:
    """The partner directory for some GET parameters: the bound filter form, the matching
    published organizations (a queryset, or search results when there is a text query) and
    whether any filter is on."""

    form: object
    organizations: object
    errors: list = field(default_factory=list)
    key: str = ""

    def listing(self):
        """The matching organizations as a sequence to paginate: their order is kept until the
        next publish (``KeptResults``), each page read by primary key."""
        return KeptResults(self.key, self.organizations, directory_queryset())

    @property
    def filtered(self):
        data = getattr(self.form, "cleaned_data", {})
        return any(data.get(name) for name in self.form.fields)


def partner_directory(params):
    """The published organizations ``params`` (a QueryDict or a dict of lists) asks for."""
    filterset = PartnerFilter(params, queryset=directory_queryset())
    qs = filterset.qs
    form = filterset.form
    errors = [message for messages in form.errors.values() for message in messages]
    query = filterset.query
    organizations = qs.search(query, operator="and") if query else qs.order_by("title", "pk")
    return Directory(
        form=form,
        organizations=organizations,
        errors=errors,
        key=_directory_key(form.cleaned_data, query),
    )


def _directory_key(data, query):
    """The filters that apply, normalised: two URLs that list the same organizations share it."""
    parts = []
    for name in FACETS:
        values = sorted(str(getattr(value, "pk", value)) for value in data.get(name) or ())
        parts.append(f"{name}={','.join(values)}")
    parts.append(f"q={query}")
    return "partners.directory:" + "&".join(parts)


def directory_context(request):
    """What the directory page shows: the filter form, one page of cards, links that keep
    every filter (so a filtered view is a shareable URL)."""
    directory = partner_directory(request.GET)
    paginator = Paginator(directory.listing(), DIRECTORY_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return {
        "directory": directory,
        "filter_form": directory.form,
        "page_obj": page_obj,
        "organizations": list(page_obj.object_list),
        "query_string": query.urlencode(),
    }


# --- Open data --------------------------------------------------------------------------------

EXPORT_FIELDS = [
    "name",
    "url",
    "kind",
    "summary",
    "city",
    "region",
    "sectors",
    "sdgs",
    "offers",
    "seeks",
    "services",
    "target_groups",
    "languages",
    "quality_labels",
    "service_names",
    "target_group_names",
    "language_names",
    "quality_label_names",
    "territories",
    "staff_band",
    "volunteer_band",
    "website",
    "contact_email",
    "logo",
    "first_published_at",
    "last_published_at",
]


def capability_profile_data(organization):
    """The capability profile as open data: the terms' codes (``partners.capabilities``), which
    never change, and beside them their names in the reader's language (same order); the
    territories served by name, the size bands as written ("10-49")."""
    chosen = {facet: [] for facet in capabilities.FACETS}
    for row in organization.capabilities.all():
        chosen.setdefault(row.facet, []).append(row.value)
    data = {}
    for facet, plural in (
        ("service", "services"),
        ("target_group", "target_groups"),
        ("language", "languages"),
        ("quality_label", "quality_labels"),
    ):
        codes = sorted(chosen[facet])
        data[plural] = codes
        data[f"{facet}_names"] = [capabilities.label(facet, code) for code in codes]
    return {
        **data,
        "territories": sorted(region.name for region in organization.territories.all()),
        "staff_band": organization.staff_band,
        "volunteer_band": organization.volunteer_band,
    }


def organization_public_data(organization, request):
    """The public fields of a published organization, for open data. Never its people."""
    logo = organization.logo
    return {
        "name": organization.title,
        "url": organization.get_full_url(request),
        "kind": organization.kind,
        "summary": organization.summary,
        "city": organization.city,
        "region": organization.region.name if organization.region else "",
        "sectors": [sector.name for sector in organization.sectors.all()],
        "sdgs": [sdg.number for sdg in organization.sdgs.all()],
        "offers": sorted(item.tag.name for item in organization.offer_items.all()),
        "seeks": sorted(item.tag.name for item in organization.seek_items.all()),
        **capability_profile_data(organization),
        "website": organization.website,
        "contact_email": organization.contact_email,
        "logo": request.build_absolute_uri(logo.file.url) if logo else "",
        "first_published_at": (
            organization.first_published_at.isoformat() if organization.first_published_at else ""
        ),
        "last_published_at": (
            organization.last_published_at.isoformat() if organization.last_published_at else ""
        ),
    }


def directory_export(request, export_format):
    """``/partners/?format=csv|json`` with the directory's filters: published data only."""
    if export_format not in opendata.FORMATS:
        return opendata.unknown_format(export_format)
    directory = partner_directory(request.GET)
    if directory.errors:
        if export_format == "json":
            return opendata.json_response({"errors": directory.errors}, status=400)
        return opendata.error_response(directory.errors)
    organizations = directory.organizations
    if hasattr(organizations, "iterator"):
        organizations = organizations.iterator(chunk_size=500)
    records = (organization_public_data(o, request) for o in organizations)
    if export_format == "json":
        results = list(records)
        return opendata.json_response({"count": len(results), "results": results})
    return opendata.records_csv_response(EXPORT_FIELDS, records, filename="partners.csv")
