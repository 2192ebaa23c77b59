from wagtail import hooks

from . import notification_kinds
from .panels import dashboard_chat_panel, workspace_chat_panel


@hooks.register("portal_dashboard_panels", order=40)
def chat_dashboard_panel(request):
    return dashboard_chat_panel(request)


@hooks.register("project_workspace_panels", order=50)
def chat_workspace_panel(request, project):
    return workspace_chat_panel(request, project)


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS
