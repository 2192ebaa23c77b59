"""A session's room booked through the shared resources and its materials from the project's
documents or the knowledge base, offered by the apps that hold them, which this app does not
import. Each answers a hook with a function taking the project:

``training_room_bookings(project)`` — the rooms booked for the project that have not ended::

    [{"key": "resources:booking:12", "label": "Aula 2 · Casal del Raval",
      "starts_at": datetime, "ends_at": datetime, "url": "/resources/3/"}]

``training_materials(project)`` — what the project's team may hand out in a session::

    [{"key": "workspace:document:5", "title": "Exercises week 1", "url": "/portal/…",
      "source": "Project documents"}]

Each in a fixed number of queries. A session keeps the key, the label or title and the link as
they were when chosen.
"""

from django.utils import formats, timezone
from wagtail import hooks

ROOMS_HOOK = "training_room_bookings"
MATERIALS_HOOK = "training_materials"


def room_bookings(project):
    """{key: booking dict} of the rooms booked for ``project`` that have not ended."""
    found = {}
    for answer in hooks.get_hooks(ROOMS_HOOK):
        for row in answer(project):
            found[row["key"]] = row
    return found


def room_label(row):
    start = timezone.localtime(row["starts_at"])
    end = timezone.localtime(row["ends_at"])
    return (
        f"{row['label']} · {formats.date_format(start, 'SHORT_DATETIME_FORMAT')}"
        f"–{formats.time_format(end, 'TIME_FORMAT')}"
    )


def materials(project):
    """{key: material dict} the apps offer for ``project``'s sessions."""
    found = {}
    for answer in hooks.get_hooks(MATERIALS_HOOK):
        for row in answer(project):
            found[row["key"]] = row
    return found
