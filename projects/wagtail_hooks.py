"""What projects adds to other screens: the portal dashboard, partner pages, the Wagtail
admin's dashboard, the permission drift check; and what it holds about a person (the privacy
export and account deletion). Each hook only calls a selector or service.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component

from core import pagecache
from core.audit import register_actions
from core.personal_data import HOOK, PersonalData
from core.roles import is_editor
from notifications.selectors import notification_list_unread

from . import audit, directory, notification_kinds, personal_data
from .models import TeamMembership
from .permissions import project_permissions_sync_all
from .selectors import (
    can_view_project,
    organization_projects_page,
    project_dashboard,
    project_page_context,
    projects_awaiting_review,
    projects_only_coordinated_by,
)

# What the page models ask of the modules above them (core.page_hooks): the directory page and
# its open-data export, who may see a draft project at its URL, and a project page's context.
hooks.register("projects_directory_context", directory.directory_context)
hooks.register("projects_directory_export", directory.directory_export)
hooks.register("projects_can_view_project", can_view_project)
hooks.register("projects_page_context", project_page_context)


@hooks.register(pagecache.QUERY_PARAMS_HOOK)
def directory_cache_params():
    return directory.PAGECACHE_PARAMS


@hooks.register("portal_dashboard_panels", order=20)
def projects_dashboard_panel(request):
    dashboard = project_dashboard(request.user)
    news = [
        n
        for n in notification_list_unread(user=request.user)
        if n.kind.startswith(notification_kinds.PREFIX)
    ][:5]
    if dashboard.is_empty() and not news:
        return ""
    return render_to_string(
        "projects/includes/dashboard_panel.html",
        {"dashboard": dashboard, "news": news},
        request=request,
    )


@hooks.register("partner_page_panels")
def partner_projects_panel(request, page):
    projects = organization_projects_page(page, request.GET.get("page") if request else None)
    if not projects.paginator.count:
        return ""
    return render_to_string(
        "projects/includes/partner_projects.html",
        {"projects": projects, "organization": page},
        request=request,
    )


@hooks.register("register_permission_sync")
def sync_project_permissions(fix=False):
    # Team places first: a missed end of membership leaves a team row, and the grants follow
    # the team rows.
    from .services import team_places_sync

    return team_places_sync(fix=fix) + project_permissions_sync_all(fix=fix)


class ProjectsAwaitingReviewPanel(Component):
    """Admin dashboard panel: project proposals waiting for an editor's review."""

    name = "projects_awaiting_review"
    template_name = "projects/admin/awaiting_review_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["projects"] = projects_awaiting_review()
        return context


@hooks.register("construct_homepage_panels")
def add_projects_awaiting_review_panel(request, panels):
    if is_editor(request.user):
        panels.append(ProjectsAwaitingReviewPanel())


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    """Partnership and team entries of the audit trail (``projects.audit``)."""
    register_actions(actions, audit.ACTIONS, roles=audit.TEAM_ROLES)


@hooks.register("register_membership_end_checks")
def refuse_to_leave_a_project_without_coordinator(organization_id, user_id):
    """A person who is the only coordinator of a project (on its team for this organization)
    cannot leave, or be removed from, the organization until someone else coordinates."""
    projects = projects_only_coordinated_by(user_id, organization_id=organization_id)
    if not projects:
        return None
    names = ", ".join(f"“{project.title}”" for project in projects)
    return ngettext(
        "This person is the only coordinator of the project %(projects)s: make someone else "
        "its coordinator first.",
        "This person is the only coordinator of the projects %(projects)s: make someone else "
        "coordinator of each first.",
        len(projects),
    ) % {"projects": names}


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS


@hooks.register(HOOK)
def team_memberships_personal_data():
    # First: leaving a team closes chat sockets before the memberships behind it go.
    return PersonalData(
        section="team_memberships",
        export=personal_data.team_memberships_export,
        forget=personal_data.team_memberships_forget,
        refuse=personal_data.team_memberships_refusal,
        models=("projects.TeamMembership", "projects.ProjectPageUserObjectPermission"),
        order=10,
    )


@hooks.register(HOOK)
def join_requests_personal_data():
    return PersonalData(
        section="join_requests",
        export=personal_data.join_requests_export,
        forget=personal_data.join_requests_forget,
        models=("projects.Participation",),
        order=10,
    )


@hooks.register(HOOK)
def proposals_personal_data():
    # ``proposer`` (and Wagtail's page owner) empty themselves with the account.
    return PersonalData(
        section="project_proposals",
        export=personal_data.proposals_export,
        models=("projects.ProjectPage",),
    )


@hooks.register("register_person_activity")
def person_activity(user_id, organization_id, limit):
    """A person's places on project teams through the organization."""
    rows = (
        TeamMembership.objects.filter(user_id=user_id, organization_id=organization_id)
        .select_related("project")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        {
            "when": row.created_at,
            "kind": gettext("Project team"),
            "summary": (
                gettext("Coordinator of %(project)s")
                if row.is_coordinator
                else gettext("On the team of %(project)s")
            )
            % {"project": row.project.title},
        }
        for row in rows
    ]
