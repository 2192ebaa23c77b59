"""How training plugs into the portal dashboard, project workspaces, the permission sync, the
audit trail, notifications and the personal-data registry. Each hook only calls a selector or
service."""

from django.template.loader import render_to_string
from wagtail import hooks

from core.audit import register_actions
from core.personal_data import PersonalData
from projects.selectors import can_coordinate

from . import audit, notification_kinds, selectors, services
from .permissions import programme_permissions_sync_all


@hooks.register("portal_dashboard_panels", order=45)
def training_dashboard_panel(request):
    programmes = list(selectors.programmes_of(request.user))
    if not programmes:
        return ""
    return render_to_string(
        "training/includes/dashboard_panel.html", {"programmes": programmes}, request=request
    )


@hooks.register("project_workspace_panels", order=70)
def training_workspace_panel(request, project):
    """The project's programmes the person works in, and where a coordinator starts one."""
    mine = [p for p in selectors.programmes_of(request.user) if p.project_id == project.pk]
    may_start = request.user.is_superuser or can_coordinate(request.user, project)
    if not mine and not may_start:
        return ""
    return render_to_string(
        "training/includes/workspace_panel.html",
        {"project": project, "programmes": mine, "may_start": may_start},
        request=request,
    )


@hooks.register("register_permission_sync")
def sync_programme_permissions(fix=False):
    return programme_permissions_sync_all(fix=fix)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions, audit.ACTIONS, roles=audit.ROLES)


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="training",
        models=(
            "training.Programme",
            "training.ProgrammeUserObjectPermission",
            "training.StaffMember",
            "training.Session",
            "training.Attendance",
            "training.Mentorship",
            "training.Certificate",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
        order=40,
    )


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS
