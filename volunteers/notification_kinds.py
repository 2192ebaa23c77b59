"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "volunteers.hours_verified": _("Your volunteer hours were verified"),
    "volunteers.hours_rejected": _("Your volunteer hours were rejected"),
    "volunteers.application": _("News about your volunteer applications"),
    "volunteers.new_application": _("New applications to the volunteer roles you coordinate"),
}
