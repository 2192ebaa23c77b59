"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "resources.booking_requested": _("Booking requested"),
    "resources.booking_approved": _("Booking approved"),
    "resources.booking_declined": _("Booking declined"),
    "resources.booking_cancelled": _("Booking cancelled"),
    "resources.booking_no_show": _("Booking marked as a no-show"),
    "resources.booking_reminder": _("Booking reminder"),
    "resources.expiring": _("Listing about to expire"),
    "resources.answer": _("Answer to a request"),
    "resources.answer_accepted": _("Answer accepted"),
}
