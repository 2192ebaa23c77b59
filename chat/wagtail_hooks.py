from wagtail import hooks

from core.personal_data import HOOK, PersonalData

from . import notification_kinds, personal_data
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


@hooks.register(HOOK)
def messages_personal_data():
    # The messages stay, without their author: nothing to forget here.
    return PersonalData(
        section="chat_messages", export=personal_data.messages_export, models=("chat.Message",)
    )


@hooks.register(HOOK)
def read_markers_personal_data():
    return PersonalData(
        section="chat_read_markers",
        export=personal_data.read_markers_export,
        models=("chat.ReadMarker",),
    )


@hooks.register(HOOK)
def mentions_personal_data():
    return PersonalData(
        section="chat_mentions",
        export=personal_data.mentions_export,
        forget=personal_data.mentions_forget,
        models=("chat.Mention",),
        order=30,
    )
