"""Inputs other apps suggest for a project's impact map, offered to its coordinators.

An app that knows of something put into a project (verified volunteer hours, for one) answers
the ``impact_input_suggestions`` Wagtail hook; ``impact`` never imports it (both are features,
side by side). Each registered function takes the project and returns a list of dicts::

    {
        "key": "volunteers:2026",       # stable: the same figure keeps the same key
        "kind": "volunteer_hours",      # or "in_kind"
        "year": 2026,                   # calendar year of the activity
        "hours": Decimal("12.5"),       # volunteer_hours: valued at the map's hourly rate
        "amount": Decimal("250.00"),    # in_kind: its value as its source states it…
        "currency": "EUR",              # …in this currency (other maps are not offered it)
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
    hours: Decimal | None
    people: int | None
    description: str
    contributor: str
    map_year: int | None  # 1 = the map's first year; None outside the analysis period
    value: Decimal  # the stated amount, or the hours at the map's volunteer hourly rate
    current: Input | None  # the input offered from it before, if any
    kind: str = Input.Kind.VOLUNTEER_HOURS
    amount: Decimal | None = None  # in kind: the value its source states

    @property
    def is_in_kind(self):
        return self.kind == Input.Kind.IN_KIND

    @property
    def state(self):
        if self.map_year is None:
            return OUTSIDE
        if self.current is None:
            return NEW
        if self.input_figure == (
            self.current.kind,
            self.current.hours,
            self.current.amount,
            self.current.year,
        ):
            return OFFERED
        return CHANGED

    @property
    def input_figure(self):
        """(kind, hours, amount, year) of the input it makes: in kind, the value is the
        amount, and the hours it was counted on stay in the description."""
        if self.is_in_kind:
            return self.kind, None, self.amount, self.map_year
        return self.kind, self.hours, None, self.map_year


def _positive(value):
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _clean(row):
    """A well-formed suggestion (volunteer hours, or an in-kind value), or None (an app's
    mistake never breaks the map page)."""
    kinds = (Input.Kind.VOLUNTEER_HOURS, Input.Kind.IN_KIND)
    if not isinstance(row, dict) or row.get("kind") not in kinds:
        return None
    key, year = row.get("key"), row.get("year")
    if not isinstance(key, str) or not key or len(key) > 60 or not isinstance(year, int):
        return None
    hours = _positive(row.get("hours"))
    if row["kind"] == Input.Kind.VOLUNTEER_HOURS:
        return (key, year, hours, None, row) if hours is not None else None
    amount = _positive(row.get("amount"))
    if amount is None:
        return None
    return key, year, hours, amount.quantize(Decimal("0.01")), row


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
            key, year, hours, amount, row = cleaned
            if amount is not None and row.get("currency") != impact_map.currency:
                continue
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
                    value=amount
                    if amount is not None
                    else hours * impact_map.volunteer_hourly_rate,
                    current=offered.get(key),
                    kind=row["kind"],
                    amount=amount,
                )
            )
    return sorted(found, key=lambda s: (s.year, s.key))


OUTCOME_HOOK = "impact_outcome_suggestions"
FILLED = "filled"  # an outcome's quantity comes from it, with the same figure


@dataclass(frozen=True)
class OutcomeSuggestion:
    """An accepted figure another app offers as the quantity of one of the map's outcomes
    (learners who completed a training cohort, for one), with its evidence."""

    key: str
    quantity: Decimal
    description: str
    evidence: str
    contributor: str
    current: object  # the outcome filled from it before, if any

    @property
    def state(self):
        if self.current is None:
            return NEW
        if self.current.quantity == self.quantity:
            return FILLED
        return CHANGED


def outcome_suggestions(impact_map, project=None):
    """What the apps offer as outcome quantities for ``impact_map`` (the
    ``impact_outcome_suggestions`` hook: each function takes the project and returns dicts
    with ``key``, ``quantity``, ``description``, ``evidence`` and ``contributor``). Only
    figures their app has accepted are offered; nothing fills an outcome until a coordinator
    chooses it (``services.outcome_suggestion_fill``)."""
    project = project or impact_map.project
    filled = {
        outcome.suggestion_key: outcome
        for stakeholder in impact_map.stakeholders.all()
        for outcome in stakeholder.outcomes.all()
        if outcome.suggestion_key
    }
    found = []
    for function in hooks.get_hooks(OUTCOME_HOOK):
        for row in function(project) or ():
            if not isinstance(row, dict):
                continue
            key = row.get("key")
            if not isinstance(key, str) or not key or len(key) > 60:
                continue
            try:
                quantity = Decimal(row.get("quantity"))
            except (InvalidOperation, TypeError, ValueError):
                continue
            if not quantity.is_finite() or quantity <= 0:
                continue
            found.append(
                OutcomeSuggestion(
                    key=key,
                    quantity=quantity,
                    description=str(row.get("description") or key)[:300],
                    evidence=str(row.get("evidence") or "")[:500],
                    contributor=str(row.get("contributor") or key)[:200],
                    current=filled.get(key),
                )
            )
    return sorted(found, key=lambda s: s.key)
