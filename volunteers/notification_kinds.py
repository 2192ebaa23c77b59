"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "volunteers.hours_verified": _("Your volunteer hours were verified"),
    "volunteers.hours_rejected": _("Your volunteer hours were rejected"),
    "volunteers.application": _("News about your volunteer applications"),
    "volunteers.new_application": _("New applications to the volunteer roles you coordinate"),
    "volunteers.call_application": _("New applications to the calls you manage"),
    "volunteers.call_review": _("Call applications assigned to you for review"),
    "volunteers.call_decision": _("Decisions on your applications to calls"),
}
