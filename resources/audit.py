"""What the audit trail says about shared resources (see ``core.audit``).

Entries go on the owning organization's page; an entry about a booking or an answer names the
other organization (``organization``), so it shows in that organization's activity too.
"""

from django.utils.translation import gettext_lazy as _

LISTING_CREATE = "resources.listing.create"
LISTING_UPDATE = "resources.listing.update"
LISTING_CLOSE = "resources.listing.close"
LISTING_RENEW = "resources.listing.renew"
BOOKING_REQUEST = "resources.booking.request"
BOOKING_APPROVE = "resources.booking.approve"
BOOKING_DECLINE = "resources.booking.decline"
BOOKING_CANCEL = "resources.booking.cancel"
BOOKING_CHECK_OUT = "resources.booking.check_out"
BOOKING_RETURN = "resources.booking.return"
BOOKING_NO_SHOW = "resources.booking.no_show"
ANSWER_CREATE = "resources.answer.create"
ANSWER_ACCEPT = "resources.answer.accept"
HOURS_RECORD = "resources.hours.record"

ACTIONS = {
    LISTING_CREATE: (_("Resource: publish"), _("Resource listed: %(detail)s")),
    LISTING_UPDATE: (_("Resource: edit"), _("Resource edited: %(detail)s")),
    LISTING_CLOSE: (_("Resource: close"), _("Resource closed: %(detail)s")),
    LISTING_RENEW: (_("Resource: renew"), _("Resource renewed: %(detail)s")),
    BOOKING_REQUEST: (
        _("Booking: request"),
        _("%(organization)s asked to book %(detail)s"),
    ),
    BOOKING_APPROVE: (
        _("Booking: approve"),
        _("Booking by %(organization)s approved: %(detail)s"),
    ),
    BOOKING_DECLINE: (
        _("Booking: decline"),
        _("Booking by %(organization)s declined: %(detail)s"),
    ),
    BOOKING_CANCEL: (
        _("Booking: cancel"),
        _("Booking by %(organization)s cancelled: %(detail)s"),
    ),
    BOOKING_CHECK_OUT: (
        _("Booking: check out"),
        _("Handed over to %(organization)s: %(detail)s"),
    ),
    BOOKING_RETURN: (_("Booking: return"), _("Returned by %(organization)s: %(detail)s")),
    BOOKING_NO_SHOW: (_("Booking: no-show"), _("%(organization)s did not come: %(detail)s")),
    ANSWER_CREATE: (_("Request: answer"), _("%(organization)s answered the request %(detail)s")),
    ANSWER_ACCEPT: (
        _("Request: accept an answer"),
        _("The answer of %(organization)s to %(detail)s was accepted"),
    ),
    HOURS_RECORD: (
        _("Hours: record"),
        _("Hours given to %(organization)s recorded: %(detail)s"),
    ),
}
