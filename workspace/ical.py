"""Project meetings as an iCalendar feed (RFC 5545, through the icalendar package)."""

from zoneinfo import ZoneInfo

from icalendar import Calendar, Event


def meetings_calendar(request, name, meetings):
    calendar = Calendar()
    calendar.add("prodid", "-//Social Cluster//Workspace meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = request.get_host()
    for meeting in meetings:
        zone = ZoneInfo(meeting.time_zone)
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        event.add("dtend", meeting.ends_at.astimezone(zone))
        event.add("dtstamp", meeting.created_at)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.online_url:
            event.add("url", meeting.online_url)
        calendar.add_component(event)
    return calendar.to_ical()
