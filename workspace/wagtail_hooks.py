"""The workspace's answers to the portal's and Wagtail's hooks."""

from django.http import Http404
from django.template.loader import render_to_string
from wagtail import hooks

from core.audit import register_actions
from core.personal_data import PersonalData

from . import audit, notification_kinds, permissions, personal_data, selectors
from .models import DocumentVersion


@hooks.register("training_materials")
def training_materials(project):
    """The project's documents, for its training sessions (``training.session_links``)."""
    return selectors.training_materials(project)


@hooks.register("project_workspace_panels", order=20)
def workspace_panel(request, project):
    # The workspace page is the team's already: no check of ours, no query.
    return render_to_string(
        "workspace/includes/workspace_panel.html", {"project": project}, request=request
    )


@hooks.register("project_page_panels")
def public_updates_panel(request, project):
    """The project's news on its public page, newest first."""
    updates = selectors.updates_of_project(project, limit=10, public=True)
    if not updates:
        return ""
    return render_to_string(
        "workspace/includes/public_updates.html", {"updates": updates}, request=request
    )


@hooks.register("portal_dashboard_panels", order=35)
def my_tasks_panel(request):
    """The person's unfinished tasks across all their projects, on /portal/."""
    tasks = selectors.my_open_tasks(request.user)
    if not tasks:
        return ""
    return render_to_string(
        "workspace/includes/dashboard_tasks.html", {"tasks": tasks}, request=request
    )


@hooks.register("before_serve_document")
def keep_workspace_files_private(document, request):
    """Wagtail's public /documents/<id>/<name> never serves a workspace file: those go only
    through the team's permission-checked view."""
    if DocumentVersion.objects.filter(file_id=document.pk).exists():
        raise Http404


@hooks.register("register_permission_sync")
def sync_document_permissions(fix=False):
    return permissions.documents_permissions_sync_all(fix=fix)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions, audit.ACTIONS)


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS


@hooks.register("register_personal_data")
def workspace_personal_data():
    return PersonalData(
        section="workspace",
        models=(
            "workspace.Folder",
            "workspace.ProjectDocument",
            "workspace.ProjectDocumentUserObjectPermission",
            "workspace.DocumentVersion",
            "workspace.Milestone",
            "workspace.Task",
            "workspace.Task_assignees",
            "workspace.Meeting",
            "workspace.Attendance",
            "workspace.ProjectUpdate",
        ),
        export=personal_data.export,
        forget=personal_data.forget,
    )
