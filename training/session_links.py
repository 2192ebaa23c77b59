"""A session's room booked through the shared resources and its materials from the project's
documents or the knowledge base, offered by the apps that hold them, which this app does not
import. Each answers a hook with a function taking the project:

``training_room_bookings(project)`` — the rooms booked for the project that have not ended::

    [{"key": "resources:booking:12", "label": "Aula 2 · Casal del Raval",
      "starts_at": datetime, "ends_at": datetime, "url": "/resources/3/"}]

``training_materials(project)`` — what the project's team may hand out in a session::

    [{"key": "workspace:document:5", "title": "Exercises week 1", "url": "/portal/…",
      "source": "Project documents"}]

``training_room_booker()`` — an object that books rooms for a session straight from its form:

- ``rooms(user, project)``: the rooms ``user`` may book for the project,
  ``[{"key": "resources:room:3", "label": "Aula 2 · Casal del Raval", "url": "/resources/3/"}]``;
- ``book(user=, project=, room=, starts_at=, ends_at=, note=)``: books ``room`` and returns the
  booking as ``training_room_bookings`` gives it (with ``state`` and ``state_label``), None when
  the room is not its own; refuses with a ValidationError, storing nothing, when the room is
  taken (its own rules for concurrent requests decide);
- ``cancel(user=, key=)``: cancels the booking ``key``; False when the key is not its own;
- ``states(keys)``: ``{key: {"state": "approved", "state_label": "Approved"}}`` of its own.

Each in a fixed number of queries. A session keeps the key, the label or title and the link as
they were when chosen.
"""

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail import hooks

ROOMS_HOOK = "training_room_bookings"
MATERIALS_HOOK = "training_materials"
BOOKER_HOOK = "training_room_booker"


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


def _bookers():
    return [make() for make in hooks.get_hooks(BOOKER_HOOK)]


def bookable_rooms(user, project):
    """{key: room dict} of the rooms ``user`` may book for ``project``'s sessions."""
    found = {}
    for booker in _bookers():
        for row in booker.rooms(user, project):
            found[row["key"]] = row
    return found


def room_book(*, user, project, room, starts_at, ends_at, note=""):
    """Book ``room`` from ``starts_at`` to ``ends_at``: the booking dict, or ValidationError."""
    for booker in _bookers():
        booking = booker.book(
            user=user, project=project, room=room, starts_at=starts_at, ends_at=ends_at, note=note
        )
        if booking is not None:
            return booking
    raise ValidationError(_("Choose a room offered in Shared resources."))


def room_cancel(*, user, key):
    """Cancel the booking ``key`` where it was made (ValidationError when refused)."""
    for booker in _bookers():
        if booker.cancel(user=user, key=key):
            return


def booking_states(keys):
    """{key: {"state", "state_label"}} of the bookings ``keys`` that their apps still know."""
    keys = {key for key in keys if key}
    found = {}
    if keys:
        for booker in _bookers():
            found.update(booker.states(keys))
    return found
