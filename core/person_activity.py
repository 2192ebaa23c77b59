"""What the portal knows a person did with an organization, for that organization's contacts.

The kernel and the apps that record activity know nothing of each other: an app that records
something a person did (volunteer hours, bookings, a place on a project's team) answers the
hook ``register_person_activity`` with a function taking ``(user_id, organization_id, limit)``
and returning at most ``limit`` dicts, newest first, in a fixed number of queries::

    {
        "when": datetime or date,   # when it happened
        "kind": "…",                # translated: what it was ("Volunteer hours")
        "summary": "…",             # translated, one line
    }

Only what involves that organization is returned (its projects, its resources, its team
places), never what the person did elsewhere.
"""

from datetime import date, datetime, time

from django.utils import timezone
from wagtail import hooks

HOOK = "register_person_activity"
LIMIT = 50


def _moment(value):
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    return timezone.now()


def person_activity(user_id, organization_id, limit=LIMIT):
    """The newest ``limit`` things the apps know ``user_id`` did with the organization."""
    if user_id is None:
        return []
    rows = []
    for answer in hooks.get_hooks(HOOK):
        rows.extend(answer(user_id, organization_id, limit))
    for row in rows:
        row["when"] = _moment(row.get("when"))
    rows.sort(key=lambda row: row["when"], reverse=True)
    return rows[:limit]
