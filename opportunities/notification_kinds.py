"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "opportunities.post_expiring": _("Partner-search post about to expire"),
    "opportunities.call_deadline": _("Funding call deadline approaching"),
    "opportunities.interest": _("Interest in a partner-search post"),
    "opportunities.conversation": _("Message about a partner-search post"),
    "opportunities.place_freed": _("A place at an event freed for your organization"),
    "opportunities.meeting_requested": _("One-to-one meeting requested"),
    "opportunities.meeting_answered": _("One-to-one meeting answered"),
}
