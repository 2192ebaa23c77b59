"""What projects adds to other screens: the portal dashboard, partner pages, the Wagtail
admin's dashboard, and the permission drift check. Each hook only calls a selector and renders.
"""

from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.admin.ui.components import Component

from core import pagecache
from core.audit import register_actions
from core.roles import is_editor
from notifications.selectors import notification_list_unread

from . import audit, directory
from .permissions import project_permissions_sync_all
from .selectors import (
    can_view_project,
    organization_projects_page,
    project_dashboard,
    project_page_context,
    projects_awaiting_review,
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
        n for n in notification_list_unread(user=request.user) if n.kind.startswith("project.")
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
    return project_permissions_sync_all(fix=fix)


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
