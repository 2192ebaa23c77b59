"""The mail log in Wagtail's admin (read only, for editors), and what notifications holds about
a person: the privacy export and account deletion."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.personal_data import HOOK, PersonalData
from core.roles import is_editor

from . import personal_data
from .models import OutgoingMail


class MailLogPolicy(ModelPermissionPolicy):
    """Editors read the log; nobody adds, edits or deletes mail by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and is_editor(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_editor(user)


class MailLogViewSet(SnippetViewSet):
    model = OutgoingMail
    icon = "mail"
    menu_label = _("Mail log")
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["to", "subject", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    inspect_view_fields = [
        "to",
        "subject",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "text",
    ]


register_permission_policy(OutgoingMail, MailLogPolicy(OutgoingMail), exact_class=True)
register_snippet(MailLogViewSet)


@hooks.register(HOOK)
def notifications_personal_data():
    return PersonalData(
        section="notifications",
        export=personal_data.notifications_export,
        forget=personal_data.notifications_forget,
        models=("notifications.Notification",),
        order=40,
    )


@hooks.register(HOOK)
def language_personal_data():
    return PersonalData(
        section="language_preference",
        export=personal_data.language_preference_export,
        models=("notifications.LanguagePreference",),
    )


@hooks.register(HOOK)
def preferences_personal_data():
    return PersonalData(
        section="notification_preferences",
        export=personal_data.preferences_export,
        models=(
            "notifications.KindPreference",
            "notifications.DigestSettings",
            "notifications.DigestRun",
        ),
    )


@hooks.register(HOOK)
def mail_personal_data():
    return PersonalData(
        section="mail_log",
        export=personal_data.mail_export,
        forget=personal_data.mail_forget,
        models=("notifications.OutgoingMail", "notifications.BouncedAddress"),
    )
