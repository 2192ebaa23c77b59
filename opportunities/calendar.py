"""iCalendar feeds (the ``icalendar`` package): funding-call deadlines and a person's meetings."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Social Cluster//opportunities//EN"


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def calls_calendar(calls, *, host):
    """One all-day event per call, on its deadline."""
    calendar = _calendar(_("Funding call deadlines"))
    now = timezone.now()
    for call in calls:
        event = Event()
        event.add("uid", f"call-{call.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", call.deadline)
        event.add("dtend", call.deadline + timedelta(days=1))
        event.add("summary", _("Deadline: %(title)s") % {"title": call.title})
        if call.link:
            event.add("url", call.link)
        calendar.add_component(event)
    return calendar.to_ical()


def meetings_calendar(meetings, *, host):
    calendar = _calendar(_("My one-to-one meetings"))
    now = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.slot.starts_at)
        event.add("dtend", meeting.slot.ends_at)
        event.add(
            "summary",
            _("%(a)s meets %(b)s") % {"a": meeting.requester.title, "b": meeting.recipient.title},
        )
        event.add("location", meeting.slot.event.title)
        event.add("status", "CONFIRMED" if meeting.status == "accepted" else "TENTATIVE")
        calendar.add_component(event)
    return calendar.to_ical()
