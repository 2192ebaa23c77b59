"""Read-only queries behind the home page and the editors' dashboard.

Everything public is filtered with ``live().public()``: drafts, unpublished pages and pages
behind a view restriction never show. Each function runs a fixed number of queries, whatever
the number of rows (select_related / prefetch_related), so the home page's cost is constant.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from partners.models import Membership, PartnerIndexPage, PartnerPage
from projects.models import Participation, ProjectIndexPage, ProjectPage, TeamMembership

LOGO_FILTER = "fill-96x96"


def public_q():
    """A filter for pages outside every view restriction (Wagtail's ``public()``, one query).

    Computed once and passed to the functions below, rather than one ``public()`` (and one
    query) per list.
    """
    condition = Q()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        condition &= ~Q(path__startswith=path)
    return condition


def _public_projects(public):
    return (
        ProjectPage.objects.live()
        .filter(public)
        .select_related("region", "lead_organization")
        .prefetch_related("sdgs")
    )


def featured_projects(*, home, public=None):
    """The live projects editors chose for ``home``, in their order, each once."""
    chosen = list(
        home.featured_projects.order_by("sort_order").values_list("project_id", flat=True)
    )
    if not chosen:
        return []
    by_id = _public_projects(public_q() if public is None else public).in_bulk(chosen)
    return [by_id[pk] for pk in dict.fromkeys(chosen) if pk in by_id]


def latest_projects(limit=6, public=None):
    public = public_q() if public is None else public
    return list(_public_projects(public).order_by("-first_published_at", "-pk")[:limit])


def latest_partners(limit=6, public=None):
    logos = get_image_model().objects.prefetch_renditions(LOGO_FILTER)
    return list(
        PartnerPage.objects.live()
        .filter(public_q() if public is None else public)
        .select_related("region")
        .prefetch_related(Prefetch("logo", queryset=logos))
        .order_by("-first_published_at", "-pk")[:limit]
    )


def key_figures(public=None):
    """Live counts: published partners, active published projects, people on their teams."""
    public = public_q() if public is None else public
    public_projects = ProjectPage.objects.live().filter(public)
    return {
        "partners": PartnerPage.objects.live().filter(public).count(),
        "active_projects": public_projects.filter(status=ProjectPage.Status.ACTIVE).count(),
        "people": TeamMembership.objects.filter(project__in=public_projects.values("pk"))
        .values("user_id")
        .distinct()
        .count(),
    }


def directory_pages(*, home):
    """The live project and partner directories, in ``home``'s language where translated,
    else the default language's: ``{"project_index": page, "partner_index": page}``, one query.

    Their ``pageurl`` is in the active language either way (``LocaleFallbackMixin``), so the
    home page's links keep the visitor in the language they are reading.
    """
    kinds = ContentType.objects.get_for_models(ProjectIndexPage, PartnerIndexPage)
    own = Q(locale_id=home.locale_id)
    pages = (
        Page.objects.live()
        .filter(content_type__in=kinds.values())
        .filter(own | Q(locale__language_code=settings.LANGUAGE_CODE))
        .order_by(
            Case(When(own, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "path",
        )
        .specific(defer=True)
    )
    found = {}
    for page in pages:
        name = "project_index" if isinstance(page, ProjectIndexPage) else "partner_index"
        found.setdefault(name, page)
    return {
        "project_index": found.get("project_index"),
        "partner_index": found.get("partner_index"),
    }


def home_page_content(*, home):
    """Everything live the home page shows, with one view-restriction lookup for all of it."""
    public = public_q()
    return {
        **directory_pages(home=home),
        "featured_projects": featured_projects(home=home, public=public),
        "key_figures": key_figures(public=public),
        "latest_projects": latest_projects(public=public),
        "latest_partners": latest_partners(public=public),
    }


def recent_memberships(limit=8):
    """The newest memberships: who joined which organization, for the editors' dashboard."""
    return list(
        Membership.objects.select_related("user", "organization").order_by("-created_at", "-pk")[
            :limit
        ]
    )


def recent_partnerships(limit=8):
    """The newest partner participations (invitations, requests, accepted) in projects."""
    return list(
        Participation.objects.filter(role=Participation.Role.PARTNER)
        .select_related("organization", "project")
        .order_by("-created_at", "-pk")[:limit]
    )
