"""Reads about projects that depend on who is asking, each in a bounded number of queries.

Pages, views and hooks call these and only render what they return; nothing here writes.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from guardian.core import ObjectPermissionChecker
from taggit.models import Tag

from core import pagecache
from core.ids import parse_id
from core.results import KeptResults
from core.roles import is_editor
from partners.models import Membership, PartnerPage
from partners.selectors import organization_ids_administered, organization_ids_of_user
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

from .models import Participation, ProjectNeedTag, ProjectPage, TeamMembership

# A project takes on partners while it is being shaped or run, not once it is over.
OPEN_STATUSES = (
    ProjectPage.Status.IDEA,
    ProjectPage.Status.FORMING,
    ProjectPage.Status.ACTIVE,
)
PENDING = (Participation.Status.INVITED, Participation.Status.REQUESTED)
PENDING_OR_ACTIVE = (*PENDING, Participation.Status.ACTIVE)
PROJECT_PERMS = ("view_project_draft", "enter_workspace", "coordinate_project")


# --- Single-object checks ---------------------------------------------------------------------


def can_view_project(user, project):
    """Published: everyone. Draft: its team, people of its lead organization, editors."""
    if project.live:
        return True
    if not user.is_authenticated:
        return False
    if is_editor(user) or user.has_perm("projects.view_project_draft", project):
        return True
    return project.lead_organization_id in organization_ids_of_user(user)


def can_enter_workspace(user, project):
    return user.has_perm("projects.enter_workspace", project)


def can_coordinate(user, project):
    return user.has_perm("projects.coordinate_project", project)


def project_perms(user, project):
    """The project codenames ``user`` holds on ``project``, in one round of queries."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(PROJECT_PERMS)
    return set(ObjectPermissionChecker(user).get_perms(project)) & set(PROJECT_PERMS)


def administers(user, organization_id):
    """Whether ``user`` may act for the organization (its admin, or a superuser)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or organization_id in organization_ids_administered(user)


def can_answer_participation(user, participation):
    """Who answers: the invited organization's admins, or the coordinators for a request."""
    if participation.status == Participation.Status.INVITED:
        return administers(user, participation.organization_id)
    if participation.status == Participation.Status.REQUESTED:
        return can_coordinate(user, participation.project)
    return administers(user, participation.organization_id) or can_coordinate(
        user, participation.project
    )


# --- The public project page ------------------------------------------------------------------


def project_page_context(user, project):
    """What ProjectPage's template shows: partners, tags, and what the visitor may do here."""
    participations = list(
        Participation.objects.filter(project=project, status=Participation.Status.ACTIVE)
        .select_related("organization")
        .order_by("role", "organization__title")
    )
    lead = next((p for p in participations if p.role == Participation.Role.LEAD), None)
    context = {
        "lead_organization": lead.organization if lead else project.lead_organization,
        "partner_participations": [
            p for p in participations if p.role == Participation.Role.PARTNER
        ],
        "needs": list(project.needs.all()),
        "sdgs": list(project.sdgs.all()),
        "sectors": list(project.sectors.all()),
        "can_enter_workspace": False,
        "join_organizations": [],
        "my_invitations": [],
        "my_requests": [],
        "my_partnerships": [],
        "is_open": project.live and project.status in OPEN_STATUSES,
    }
    if not user.is_authenticated:
        return context
    context["can_enter_workspace"] = "enter_workspace" in project_perms(user, project)
    admin_ids = organization_ids_administered(user)
    if not admin_ids:
        return context
    mine = list(
        Participation.objects.filter(project=project, organization_id__in=admin_ids)
        .select_related("organization")
        .order_by("organization__title")
    )
    for participation in mine:
        participation.project = project
    involved = {p.organization_id for p in mine if p.status in PENDING_OR_ACTIVE}
    context["my_invitations"] = [p for p in mine if p.status == Participation.Status.INVITED]
    context["my_requests"] = [p for p in mine if p.status == Participation.Status.REQUESTED]
    context["my_partnerships"] = [
        p
        for p in mine
        if p.status == Participation.Status.ACTIVE and p.role == Participation.Role.PARTNER
    ]
    if context["is_open"]:
        context["join_organizations"] = join_organizations(user, project, admin_ids, involved)
    return context


def join_organizations(user, project, admin_ids=None, involved=None):
    """Organizations ``user`` administers that may still ask to join ``project``."""
    if admin_ids is None:
        admin_ids = organization_ids_administered(user)
    if involved is None:
        involved = set(
            Participation.objects.filter(
                project=project, organization_id__in=admin_ids, status__in=PENDING_OR_ACTIVE
            ).values_list("organization_id", flat=True)
        )
    return list(
        PartnerPage.objects.live()
        .filter(pk__in=set(admin_ids) - set(involved))
        .order_by("title")
        .only("id", "title")
    )


def organizations_for_proposal(user):
    """Approved organizations ``user`` may propose a project for: the ones they administer
    (every one for editors and superusers)."""
    qs = PartnerPage.objects.live().order_by("title")
    if is_editor(user):
        return qs
    return qs.filter(pk__in=organization_ids_administered(user))


def invitable_organizations():
    """Organizations a coordinator may name in an invitation (the service refuses the rest)."""
    return PartnerPage.objects.live().order_by("title")


def organizations_for_join_request(user):
    """Every approved organization ``user`` may speak for (the request form validates these)."""
    qs = PartnerPage.objects.live().order_by("title")
    if user.is_superuser:
        return qs
    return qs.filter(pk__in=organization_ids_administered(user))


# --- The workspace ----------------------------------------------------------------------------


def project_workspace(user, project, perms):
    """Everything the workspace shows, in a fixed number of queries whatever the team size."""
    from .matchmaking import organizations_for_project

    participations = list(
        Participation.objects.filter(project=project)
        .select_related("organization", "created_by")
        .order_by("role", "organization__title")
    )
    for participation in participations:
        participation.project = project
    team = list(
        TeamMembership.objects.filter(project=project)
        .select_related("user", "organization")
        .order_by("-is_coordinator", "user__first_name", "user__username")
    )
    is_coordinator = "coordinate_project" in perms
    admin_ids = organization_ids_administered(user)
    active = [p for p in participations if p.status == Participation.Status.ACTIVE]
    context = {
        "project": project,
        "is_coordinator": is_coordinator,
        "team": team,
        "coordinator_count": sum(1 for row in team if row.is_coordinator),
        "active_participations": active,
        "invitations": [p for p in participations if p.status == Participation.Status.INVITED],
        "requests": [p for p in participations if p.status == Participation.Status.REQUESTED],
        "past_participations": [
            p
            for p in participations
            if p.status in (Participation.Status.DECLINED, Participation.Status.LEFT)
        ],
        "admin_organization_ids": admin_ids if not user.is_superuser else None,
        "needs": list(project.needs.all()),
        "sdgs": list(project.sdgs.all()),
        "team_candidates": [],
        "invite_candidates": [],
        "matches": [],
    }
    if is_coordinator:
        on_team = {row.user_id for row in team}
        context["team_candidates"] = list(
            Membership.objects.filter(organization_id__in=[p.organization_id for p in active])
            .exclude(user_id__in=on_team)
            .filter(user__is_active=True)
            .select_related("user", "organization")
            .order_by("organization__title", "user__username")
        )
        involved = {p.organization_id for p in participations if p.status in PENDING_OR_ACTIVE}
        context["invite_candidates"] = list(
            PartnerPage.objects.live()
            .exclude(pk__in=involved)
            .order_by("title")
            .only("id", "title")
        )
        if project.live and project.status in OPEN_STATUSES:
            context["matches"] = organizations_for_project(project, limit=10)
    return context


# --- The dashboard ----------------------------------------------------------------------------


@dataclass
class Dashboard:
    """What /portal/ shows about projects for one person."""

    team_rows: list = field(default_factory=list)
    organization_projects: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    outgoing: list = field(default_factory=list)
    matches: list = field(default_factory=list)
    can_propose: bool = False

    def is_empty(self):
        return not (
            self.team_rows
            or self.organization_projects
            or self.invitations
            or self.requests
            or self.outgoing
            or self.matches
            or self.can_propose
        )


def project_dashboard(user, *, match_limit=5):
    """My projects, what waits for my answer, what waits for others, and projects for us."""
    from .matchmaking import projects_for_organization

    dashboard = Dashboard()
    dashboard.team_rows = list(
        TeamMembership.objects.filter(user=user)
        .select_related("project", "organization")
        .order_by("project__title")
    )
    on_team = {row.project_id for row in dashboard.team_rows}
    coordinated = [row.project_id for row in dashboard.team_rows if row.is_coordinator]
    admin_ids = organization_ids_administered(user)
    dashboard.can_propose = bool(admin_ids) or is_editor(user)
    waiting = Q(status=Participation.Status.REQUESTED, project_id__in=coordinated)
    if admin_ids:
        waiting |= Q(organization_id__in=admin_ids)
    rows = list(
        Participation.objects.filter(waiting)
        .select_related("project", "organization", "created_by")
        .order_by("-created_at")
    )
    for row in rows:
        if row.status == Participation.Status.REQUESTED and row.project_id in coordinated:
            dashboard.requests.append(row)
        elif row.organization_id not in admin_ids:
            continue
        elif row.status == Participation.Status.INVITED:
            dashboard.invitations.append(row)
        elif row.status == Participation.Status.REQUESTED:
            dashboard.outgoing.append(row)
        elif row.status == Participation.Status.ACTIVE and row.project_id not in on_team:
            dashboard.organization_projects.append(row)
    if admin_ids:
        organizations = PartnerPage.objects.live().filter(pk__in=admin_ids).order_by("title")
        for organization in organizations:
            results = projects_for_organization(organization, limit=match_limit)
            if results:
                dashboard.matches.append((organization, results))
    return dashboard


# --- Lists ------------------------------------------------------------------------------------


PARTNER_PAGE_PROJECTS = 12


def organization_projects(organization):
    """Published projects an organization leads or takes part in, newest first (a queryset)."""
    # One UNION of two indexed lookups, then a primary-key filter: "lead OR partner" in a
    # single WHERE made PostgreSQL read every project (a busy organization: 27 ms at 5,000).
    ids = list(
        Participation.objects.filter(organization=organization, status=Participation.Status.ACTIVE)
        .order_by()
        .values_list("project_id", flat=True)
        .union(
            ProjectPage.objects.filter(lead_organization=organization)
            .order_by()
            .values_list("pk", flat=True)
        )
    )
    return (
        ProjectPage.objects.live()
        .public()
        .filter(pk__in=ids)
        .select_related("lead_organization")
        .order_by("-first_published_at", "-pk")
    )


def organization_projects_page(organization, number, *, per_page=PARTNER_PAGE_PROJECTS):
    """One page of ``organization_projects`` for its PartnerPage: a busy organization takes
    part in hundreds of projects, and rendering them all made its page the slowest of the site."""
    return Paginator(organization_projects(organization), per_page).get_page(number)


def projects_awaiting_review(limit=20):
    """Project proposals whose review is in progress, oldest first, for the admin dashboard."""
    return list(
        ProjectPage.objects.filter(
            _specific_workflow_states__status="in_progress",
        )
        .select_related("lead_organization", "proposer")
        .order_by("first_published_at", "latest_revision_created_at", "pk")
        .distinct()[:limit]
    )


# --- The directory ----------------------------------------------------------------------------

FACETS = ("status", "sdg", "region", "sector", "lead", "need")
PAGE_SIZE = 24


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


def _clean_params(params):
    """Keep only well-formed values of known facets; anything else is ignored, not an error."""
    getlist = params.getlist if hasattr(params, "getlist") else (lambda k: _as_list(params.get(k)))
    selected = {}
    for name in FACETS:
        values = []
        for value in getlist(name):
            value = str(value).strip()
            if not value or value in values:
                continue
            if name == "status" and value not in ProjectPage.Status.values:
                continue
            if name in ("sdg", "lead"):
                number = parse_id(value)  # ASCII digits, and no more than a key holds
                if number is None:
                    continue
                value = str(number)
            values.append(value)
        selected[name] = values[:50]
    query = str(params.get("q") or "").strip()[:200]
    return query, selected


def _as_list(value):
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _filtered(selected, published):
    qs = published
    if selected["status"]:
        qs = qs.filter(status__in=selected["status"])
    if selected["sdg"]:
        qs = qs.filter(
            pk__in=ProjectPage.sdgs.through.objects.filter(
                sustainabledevelopmentgoal__number__in=selected["sdg"]
            ).values("projectpage_id")
        )
    if selected["region"]:
        qs = qs.filter(region__slug__in=selected["region"])
    if selected["sector"]:
        qs = qs.filter(
            pk__in=ProjectPage.sectors.through.objects.filter(
                sector__slug__in=selected["sector"]
            ).values("projectpage_id")
        )
    if selected["lead"]:
        qs = qs.filter(lead_organization_id__in=selected["lead"])
    if selected["need"]:
        qs = qs.filter(
            pk__in=ProjectNeedTag.objects.filter(tag__slug__in=selected["need"]).values(
                "content_object_id"
            )
        )
    return qs


def project_directory_queryset(params, *, prefetch_partners=False):
    """Published, public projects matching the directory's filters and search, best first.

    Filters combine with OR within a facet and AND across facets. The search runs on Wagtail's
    search backend over the already filtered set, so filters and search also combine with AND.
    """
    query, selected = _clean_params(params)
    return _results(query, selected, _published(), for_export=prefetch_partners)


def _published():
    # .public() reads the view restrictions once, here: reuse the result.
    return ProjectPage.objects.live().public()


def _with_card_data(qs):
    """What a project card shows, read with the projects."""
    return qs.select_related("lead_organization", "region").prefetch_related(
        "sdgs",
        Prefetch("need_items", queryset=ProjectNeedTag.objects.select_related("tag")),
    )


def _results(query, selected, published, *, for_export=False):
    filtered = _filtered(selected, published)
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


def _facets(live):
    """The values each facet offers: those of published projects, whatever is selected.

    Each is a query over every published project, the same for every visitor and every filter,
    so the directory keeps them until the next publish (``pagecache.memo``).
    """
    live_ids = live.values("pk")
    needs = list(
        Tag.objects.filter(projects_projectneedtag_items__content_object_id__in=live_ids)
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
    query, selected = _clean_params(params)
    kept = [(name, value) for name in FACETS for value in selected[name]]
    if query:
        kept.insert(0, ("q", query))
    live = _published()
    results = _results(query, selected, live)
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
