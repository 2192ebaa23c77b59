"""Reads about projects that depend on who is asking, each in a bounded number of queries.

Pages, views and hooks call these and only render what they return; nothing here writes.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from guardian.core import ObjectPermissionChecker

from core.person_cards import with_card_urls
from core.roles import is_editor
from partners.models import Membership, PartnerPage
from partners.selectors import organization_ids_administered, organization_ids_of_user

from .models import (
    Participation,
    ProjectPage,
    ProjectPageGroupObjectPermission,
    ProjectPageUserObjectPermission,
    TeamMembership,
)

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


def project_perm_sql(user, codename, project_column):
    """Whether ``user`` holds ``projects.<codename>`` on a project, as a raw SQL boolean over
    ``project_column`` (a column holding a project's primary key): ``(sql, params)``. It says
    what ``project_perms`` says (grants to the person or to one of their groups; everything
    for an active superuser; nothing for the inactive), inside the caller's query. For the
    hottest read, a chat socket's connect, where building the same query with the ORM costs
    many times the query itself."""
    if codename not in PROJECT_PERMS:
        raise ValueError(f"not a project permission: {codename}")
    if not user.is_authenticated or not user.is_active:
        return "(1 = 0)", []
    if user.is_superuser:
        return "(1 = 1)", []
    content_type = ContentType.objects.get_for_model(ProjectPage).pk
    direct = ProjectPageUserObjectPermission._meta.db_table
    through_group = ProjectPageGroupObjectPermission._meta.db_table
    permission = Permission._meta.db_table
    memberships = get_user_model().groups.through._meta.db_table
    sql = (
        f"(EXISTS (SELECT 1 FROM {direct} g JOIN {permission} p ON p.id = g.permission_id"
        f" WHERE g.content_object_id = {project_column} AND g.user_id = %s"
        " AND p.codename = %s AND p.content_type_id = %s)"
        f" OR EXISTS (SELECT 1 FROM {through_group} g"
        f" JOIN {permission} p ON p.id = g.permission_id"
        f" JOIN {memberships} m ON m.group_id = g.group_id"
        f" WHERE g.content_object_id = {project_column} AND m.user_id = %s"
        " AND p.codename = %s AND p.content_type_id = %s))"
    )
    return sql, [user.pk, codename, content_type, user.pk, codename, content_type]


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


def projects_only_coordinated_by(user_id, *, organization_id=None):
    """The projects whose only coordinator is ``user_id`` (through ``organization_id``, if
    given): they would be left with no one to run them if that person left the team."""
    mine = TeamMembership.objects.filter(user_id=user_id, is_coordinator=True)
    if organization_id is not None:
        mine = mine.filter(organization_id=organization_id)
    others = TeamMembership.objects.filter(is_coordinator=True).exclude(user_id=user_id)
    return list(
        ProjectPage.objects.filter(pk__in=mine.values("project_id"))
        .exclude(pk__in=others.values("project_id"))
        .order_by("title")
        .only("id", "title")
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
    team = with_card_urls(
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
    # Administers only organizations not yet approved: proposing waits for the editors.
    awaiting_approval: bool = False

    def is_empty(self):
        return not (
            self.team_rows
            or self.organization_projects
            or self.invitations
            or self.requests
            or self.outgoing
            or self.matches
            or self.can_propose
            or self.awaiting_approval
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
    organizations = []
    if admin_ids:
        organizations = list(PartnerPage.objects.live().filter(pk__in=admin_ids).order_by("title"))
    # Only an approved organization can lead a project: offering the form sooner is a 403.
    dashboard.can_propose = bool(organizations) or is_editor(user)
    dashboard.awaiting_approval = bool(admin_ids) and not dashboard.can_propose
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


def team_memberships_of_user(user):
    """The teams a person is on, with project and organization (for their profile)."""
    return list(
        TeamMembership.objects.filter(user=user)
        .select_related("project", "organization")
        .order_by("project__title")
    )
