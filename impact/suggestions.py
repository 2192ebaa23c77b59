"""Inputs other apps suggest for a project's impact map, offered to its coordinators.

An app that knows of something put into a project (verified volunteer hours, for one) answers
the ``impact_input_suggestions`` Wagtail hook; ``impact`` never imports it (both are features,
side by side). Each registered function takes the project and returns a list of dicts::

    {
        "key": "volunteers:2026",       # stable: the same figure keeps the same key
        "kind": "volunteer_hours",      # the only kind taken so far
        "year": 2026,                   # calendar year of the activity
        "hours": Decimal("12.5"),
        "people": 4,                    # optional
        "description": "…",             # translated, shown and stored with the input
        "contributor": "…",             # translated: who put it in
    }

Nothing is added by itself: the map page lists the suggestions and a coordinator offers one
as an input (``services.input_suggestion_offer``). Offering again updates the input made from
the same key, never adds a second one.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from wagtail import hooks

from .models import Input

HOOK = "impact_input_suggestions"

NEW = "new"  # not in the map yet
OFFERED = "offered"  # in the map with the same figure
CHANGED = "changed"  # in the map, but the figure has moved since it was offered
OUTSIDE = "outside"  # its year falls outside the map's analysis period


@dataclass(frozen=True)
class Suggestion:
    key: str
    year: int
    hours: Decimal
    people: int | None
    description: str
    contributor: str
    map_year: int | None  # 1 = the map's first year; None outside the analysis period
    value: Decimal  # the hours at the map's volunteer hourly rate
    current: Input | None  # the input offered from it before, if any

    @property
    def state(self):
        if self.map_year is None:
            return OUTSIDE
        if self.current is None:
            return NEW
        if self.current.hours == self.hours and self.current.year == self.map_year:
            return OFFERED
        return CHANGED


def _clean(row):
    """A well-formed volunteer-hours suggestion, or None (an app's mistake never breaks the
    map page)."""
    if not isinstance(row, dict) or row.get("kind") != Input.Kind.VOLUNTEER_HOURS:
        return None
    key, year = row.get("key"), row.get("year")
    if not isinstance(key, str) or not key or len(key) > 60 or not isinstance(year, int):
        return None
    try:
        hours = Decimal(row.get("hours"))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not hours.is_finite() or hours <= 0:
        return None
    return key, year, hours, row


def input_suggestions(impact_map, project=None):
    """What the apps suggest for ``impact_map``, each with its state in the map.

    Uses the map's prefetched inputs when there are some (the map page prefetches them).
    """
    project = project or impact_map.project
    offered = {row.suggestion_key: row for row in impact_map.inputs.all() if row.suggestion_key}
    last_year = impact_map.first_year + impact_map.period_years - 1
    found = []
    for function in hooks.get_hooks(HOOK):
        for row in function(project) or ():
            cleaned = _clean(row)
            if cleaned is None:
                continue
            key, year, hours, row = cleaned
            in_period = impact_map.first_year <= year <= last_year
            found.append(
                Suggestion(
                    key=key,
                    year=year,
                    hours=hours,
                    people=row.get("people"),
                    description=str(row.get("description") or key)[:300],
                    contributor=str(row.get("contributor") or key)[:200],
                    map_year=year - impact_map.first_year + 1 if in_period else None,
                    value=hours * impact_map.volunteer_hourly_rate,
                    current=offered.get(key),
                )
            )
    return sorted(found, key=lambda s: (s.year, s.key))
