"""iCalendar feeds of bookings (the ``icalendar`` package): when a resource is taken.

A public feed says only when a unit is busy and whether the booking is confirmed: calendar
clients fetch it without signing in, so it names no person and no booking organization. A
person's signed feed (``detailed``) also says which organization booked what, and the note.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Booking

PRODID = "-//Social Cluster//resources//EN"


def bookings_calendar(name, bookings, *, host, detailed=False):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    now = timezone.now()
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        title = booking.listing.title
        if booking.listing.quantity > 1:
            title = _("%(title)s (unit %(unit)s)") % {"title": title, "unit": booking.unit}
        if detailed:
            event.add(
                "summary",
                _("%(title)s: %(owner)s for %(booker)s")
                % {
                    "title": title,
                    "owner": booking.listing.organization.title,
                    "booker": booking.organization.title,
                },
            )
            if booking.note:
                event.add("description", booking.note)
        else:
            event.add("summary", _("Booked: %(title)s") % {"title": title})
        event.add(
            "status", "TENTATIVE" if booking.status == Booking.Status.PENDING else "CONFIRMED"
        )
        calendar.add_component(event)
    return calendar.to_ical()
