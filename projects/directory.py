"""The project directory at /projects/: its filter set, its listing and its open-data export.

One ``FilterSet`` reads the GET parameters; the page and the ``?format=csv|json`` export run
the same filters, so a filtered view is a link that can be shared or downloaded. Filters
combine with OR within a facet and AND across facets; the search runs on Wagtail's search
backend over the already filtered set, so filters and search also combine with AND. A
malformed value (an unknown status, a goal that is not a number) is ignored, not an error.

``PAGECACHE_PARAMS`` are the parameters the anonymous page cache may key a cached directory
page on (registered in ``wagtail_hooks.py``); anything else in the URL bypasses the cache.

Open data: only published, public projects and only their public fields: no team, no pending
invitations or requests, no proposer, nothing from the workspace.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from taggit.models import Tag

from core import opendata, pagecache
from core.ids import parse_id
from core.results import KeptResults
from partners.models import PartnerPage
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from taxonomy.tags import approved

from .models import Participation, ProjectNeedTag, ProjectPage

FACETS = ("status", "sdg", "region", "sector", "lead", "need")
PAGECACHE_PARAMS = ("q", "page", *FACETS)
PAGE_SIZE = 24
MAX_VALUES = 50
MAX_QUERY_LENGTH = 200


# --- The filter set ---------------------------------------------------------------------------


def is_id(value):
    """ASCII digits, and no more than a key holds (a larger number would overflow the query)."""
    return parse_id(value) is not None


class ValuesField(forms.Field):
    """The values a facet's parameter holds, cleaned one by one: trimmed, without blanks or
    repeats, at most ``MAX_VALUES``; a value ``accept`` refuses is dropped, not an error."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, accept=None, **kwargs):
        self.accept = accept or (lambda value: True)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        values = []
        for item in value:
            item = str(item).strip()
            if item and item not in values and self.accept(item):
                values.append(item)
        return values[:MAX_VALUES]


class QueryField(forms.CharField):
    """The search box: trimmed and cut to ``MAX_QUERY_LENGTH`` characters, never refused."""

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_LENGTH]


class ValuesFilter(django_filters.Filter):
    field_class = ValuesField


class QueryFilter(django_filters.CharFilter):
    field_class = QueryField


class ProjectFilter(django_filters.FilterSet):
    """The directory's GET parameters and the filters they make; the search runs last.

    A facet held in another table filters with a primary-key subquery (not a join), so no
    project is listed twice and the planner can start from that table's index.
    """

    q = QueryFilter(method="keep")
    status = ValuesFilter(
        field_name="status", lookup_expr="in", accept=ProjectPage.Status.values.__contains__
    )
    sdg = ValuesFilter(method="filter_sdg", accept=is_id)
    region = ValuesFilter(field_name="region__slug", lookup_expr="in")
    sector = ValuesFilter(method="filter_sector")
    lead = ValuesFilter(field_name="lead_organization_id", lookup_expr="in", accept=is_id)
    need = ValuesFilter(method="filter_need")

    class Meta:
        model = ProjectPage
        fields = []

    def filter_sdg(self, queryset, name, value):
        return queryset.filter(
            pk__in=ProjectPage.sdgs.through.objects.filter(
                sustainabledevelopmentgoal__number__in=value
            ).values("projectpage_id")
        )

    def filter_sector(self, queryset, name, value):
        return queryset.filter(
            pk__in=ProjectPage.sectors.through.objects.filter(sector__slug__in=value).values(
                "projectpage_id"
            )
        )

    def filter_need(self, queryset, name, value):
        # Only the vocabulary: a proposed tag, even typed into the address by hand, finds what
        # an unknown one finds (nothing) until an editor approves it.
        tags = approved(Tag.objects.filter(slug__in=value))
        return queryset.filter(
            pk__in=ProjectNeedTag.objects.filter(tag__in=tags).values("content_object_id")
        )

    def keep(self, queryset, name, value):
        # The search is not a filter: Wagtail's search results cannot be filtered further, so
        # the listing runs it over the filtered set.
        return queryset

    @property
    def cleaned_data(self):
        self.errors  # noqa: B018 - validates the form once
        return self.form.cleaned_data

    @property
    def query(self):
        return self.cleaned_data.get("q") or ""

    @property
    def selected(self):
        """{facet: [values]} for every facet, in ``FACETS`` order."""
        return {name: self.cleaned_data.get(name) or [] for name in FACETS}


# --- The listing ------------------------------------------------------------------------------


@dataclass
class ProjectDirectory:
    """One page of the project directory, its facets, and what is selected."""

    page: object
    query: str
    selected: dict
    statuses: list
    sdgs: list
    regions: list
    sectors: list
    leads: list
    needs: list
    querystring: str

    @property
    def is_filtered(self):
        return bool(self.query) or any(self.selected.values())


def _published():
    # .public() reads the view restrictions once, here: reuse the result.
    return ProjectPage.objects.live().public()


def _with_card_data(qs):
    """What a project card shows, read with the projects."""
    return qs.select_related("lead_organization", "region").prefetch_related(
        "sdgs",
        Prefetch("need_items", queryset=ProjectNeedTag.objects.select_related("tag")),
    )


def _results(filterset, *, for_export=False):
    filtered = filterset.qs
    query = filterset.query
    if query:
        # Wagtail's search backends filter on indexed fields only: hand them a primary-key set.
        # Without a search the filters stay in the query itself, so the planner can start from
        # the filter's index instead of reading every project to semi-join the set.
        filtered = ProjectPage.objects.filter(pk__in=filtered.values("pk"))
    qs = _with_card_data(filtered)
    if for_export:
        qs = qs.prefetch_related(
            "sectors",
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(
                    status=Participation.Status.ACTIVE,
                    role=Participation.Role.PARTNER,
                    organization__live=True,
                )
                .select_related("organization")
                .order_by("organization__title"),
                to_attr="active_partners",
            ),
        )
    if query:
        return qs.search(query, operator="and")
    return qs.order_by("-first_published_at", "-pk")


def project_directory_queryset(params, *, prefetch_partners=False):
    """Published, public projects matching the directory's filters and search, best first."""
    filterset = ProjectFilter(params, queryset=_published())
    return _results(filterset, for_export=prefetch_partners)


def _facets(live):
    """The values each facet offers: those of published projects, whatever is selected.

    Each is a query over every published project, the same for every visitor and every filter,
    so the directory keeps them until the next publish (``pagecache.memo``).
    """
    live_ids = live.values("pk")
    # Proposed tags stay on the project that has them but are no filter until approved.
    needs = list(
        approved(Tag.objects.filter(projects_projectneedtag_items__content_object_id__in=live_ids))
        .annotate(uses=Count("projects_projectneedtag_items"))
        .order_by("-uses", "name")[:60]
    )
    return {
        "sdgs": list(SustainableDevelopmentGoal.objects.all()),
        "regions": list(
            Region.objects.filter(projects__pk__in=live_ids).distinct().order_by("name")
        ),
        "sectors": list(
            Sector.objects.filter(
                pk__in=ProjectPage.sectors.through.objects.filter(
                    projectpage_id__in=live_ids
                ).values("sector_id")
            ).order_by("name")
        ),
        # (pk, title) rows rather than pages: over a thousand of them are read back from the
        # cache on every request, and unpickling Page instances cost more than the query.
        "leads": list(
            PartnerPage.objects.filter(pk__in=live.values("lead_organization_id"))
            .order_by("title")
            .values_list("pk", "title", named=True)
        ),
        "needs": sorted(needs, key=lambda tag: tag.name.lower()),
    }


def project_directory(params, *, page_size=PAGE_SIZE):
    """The directory at /projects/: one page of results plus its facets, in constant queries.

    ``params`` is a QueryDict (``request.GET``) or a dict of lists; every filter travels in
    the URL, so a filtered view can be shared as a link.
    """
    live = _published()
    filterset = ProjectFilter(params, queryset=live)
    query, selected = filterset.query, filterset.selected
    kept = [(name, value) for name in FACETS for value in selected[name]]
    if query:
        kept.insert(0, ("q", query))
    results = _results(filterset)
    querystring = urlencode(kept)
    # The ordered matches are kept until the next publish; a request reads one page of them.
    kept = KeptResults(f"projects.directory:{querystring}", results, _with_card_data(live))
    page = Paginator(kept, page_size).get_page(
        params.get("page") if hasattr(params, "get") else None
    )
    facets = pagecache.memo("projects.directory.facets", lambda: _facets(live))
    return ProjectDirectory(
        page=page,
        query=query,
        selected=selected,
        statuses=list(ProjectPage.Status.choices),
        **facets,
        querystring=querystring,
    )


def directory_context(request):
    """What ProjectIndexPage's template shows."""
    return {"directory": project_directory(request.GET)}


# --- Open data --------------------------------------------------------------------------------

FIELDS = (
    "id",
    "title",
    "url",
    "status",
    "summary",
    "lead_organization",
    "lead_organization_url",
    "partners",
    "region",
    "sectors",
    "sdgs",
    "needs",
    "start_date",
    "end_date",
    "first_published_at",
)


def _organization_url(request, organization):
    if organization is None or not organization.live:
        return ""
    return organization.get_full_url(request) or ""


def project_record(request, project):
    lead = project.lead_organization
    return {
        "id": project.pk,
        "title": project.title,
        "url": project.get_full_url(request),
        "status": project.status,
        "summary": project.summary,
        "lead_organization": lead.title if lead else "",
        "lead_organization_url": _organization_url(request, lead),
        "partners": [p.organization.title for p in project.active_partners],
        "region": project.region.name if project.region else "",
        "sectors": [sector.name for sector in project.sectors.all()],
        "sdgs": [sdg.number for sdg in project.sdgs.all()],
        "needs": [item.tag.name for item in project.need_items.all()],
        "start_date": project.start_date,
        "end_date": project.end_date,
        "first_published_at": project.first_published_at,
    }


def directory_export(request, export_format):
    """``/projects/?format=csv|json`` with the directory's filters: published data only."""
    if export_format not in opendata.FORMATS:
        return opendata.unknown_format(export_format)
    records = [
        project_record(request, project)
        for project in project_directory_queryset(request.GET, prefetch_partners=True)
    ]
    if export_format == "json":
        return opendata.json_response(
            {"count": len(records), "fields": list(FIELDS), "results": records},
            filename="projects.json",
        )
    return opendata.records_csv_response(FIELDS, records, filename="projects.csv")
