"""A community's sessions as an iCalendar feed (RFC 5545, through the icalendar package)."""

from django.utils import timezone
from icalendar import Calendar, Event


def community_calendar(request, community, sessions):
    calendar = Calendar()
    calendar.add("prodid", "-//Social Cluster//Communities//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", community.name)
    host = request.get_host()
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("summary", session.title)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", session.created_at or timezone.now())
        if session.description:
            event.add("description", session.description)
        if session.location:
            event.add("location", session.location)
        if session.link:
            event.add("url", session.link)
        calendar.add_component(event)
    return calendar.to_ical()
