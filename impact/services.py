"""Every write to impact maps: create, edit rows, publish, unpublish, delete.

Only coordinators write (checked here as well as in the views). Publishing freezes the report
(``impact.report.build_report``) into the map, so the public sees exactly what was published.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import cache_invalidate
from projects.selectors import can_coordinate

from . import sroi
from .models import ImpactMap, Input, Outcome, Output, Stakeholder
from .report import build_report
from .selectors import impact_map_get
from .suggestions import input_suggestions, outcome_suggestions

MAP_FIELDS = {
    "currency",
    "discount_rate",
    "first_year",
    "period_years",
    "volunteer_hourly_rate",
    "sensitivity_points",
    "sensitivity_proxy_percent",
    "scope",
}


def _require_coordinator(user, project):
    if not can_coordinate(user, project):
        raise PermissionDenied(_("Only the project's coordinators can edit its impact map."))


def default_first_year(project):
    return (project.start_date or timezone.localdate()).year


@transaction.atomic
def impact_map_create(*, project, user, kind, **fields):
    _require_coordinator(user, project)
    unknown = set(fields) - MAP_FIELDS
    if unknown:
        raise TypeError(f"unknown impact map fields: {sorted(unknown)}")
    if ImpactMap.objects.filter(project=project, kind=kind).exists():
        raise ValidationError({"kind": _("This project already has an impact map of this kind.")})
    fields.setdefault("first_year", default_first_year(project))
    impact_map = ImpactMap(project=project, kind=kind, created_by=user, **fields)
    impact_map.full_clean()
    impact_map.save()
    return impact_map


@transaction.atomic
def impact_map_update(*, impact_map, user, **fields):
    _require_coordinator(user, impact_map.project)
    unknown = set(fields) - MAP_FIELDS
    if unknown:
        raise TypeError(f"unknown impact map fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(impact_map, name, value)
    impact_map.full_clean()
    impact_map.save()
    return impact_map


def _fill_from_library(outcomes):
    """Copy a library proxy's value and source into outcomes that just chose it.

    An outcome keeps its own value once filled, unless it picks another library proxy (or
    its value is blank): editing the library later never changes a map behind its back.
    """
    previous = dict(
        Outcome.objects.filter(pk__in=[o.pk for o in outcomes if o.pk]).values_list(
            "pk", "shared_proxy_id"
        )
    )
    for outcome in outcomes:
        if not outcome.shared_proxy_id:
            continue
        if outcome.proxy_value is not None and previous.get(outcome.pk) == outcome.shared_proxy_id:
            continue
        proxy = outcome.shared_proxy
        outcome.proxy_value = proxy.value
        outcome.proxy_year = proxy.year
        outcome.proxy_description = f"{proxy.outcome} — {proxy.indicator}"[:300]
        source = f"{proxy.source} ({proxy.year})"
        if proxy.source_url:
            source = f"{source} {proxy.source_url}"
        outcome.proxy_source = source[:500]


@transaction.atomic
def impact_rows_save(*, impact_map, user, rows=(), deleted=()):
    """Save changed or new rows (stakeholders, inputs, outputs or outcomes) of one map."""
    _require_coordinator(user, impact_map.project)
    rows, deleted = list(rows), list(deleted)
    for row in rows + deleted:
        if not isinstance(row, Stakeholder | Input | Output | Outcome):
            raise TypeError(f"not an impact map row: {row!r}")
        owner = row.stakeholder.impact_map_id if isinstance(row, Outcome) else row.impact_map_id
        if row.pk is None and not isinstance(row, Outcome):
            row.impact_map = impact_map
        elif owner != impact_map.pk:
            raise PermissionDenied(_("This row belongs to another impact map."))
    for row in deleted:
        row.delete()
    _fill_from_library([row for row in rows if isinstance(row, Outcome)])
    for row in rows:
        row.full_clean()
        row.save()
    impact_map.save(update_fields=["updated_at"])
    return rows


@transaction.atomic
def value_map_import(*, impact_map, user, data):
    """Create the rows of a value map read from a spreadsheet (``impact.spreadsheet``): all of
    them, or nothing (a ValidationError names the first row that fails). Stakeholders are
    matched by name with the map's own; the others are created."""
    _require_coordinator(user, impact_map.project)
    existing = {s.name.casefold(): s for s in impact_map.stakeholders.all()}
    new_stakeholders = []
    for row in data["outcomes"]:
        key = row["stakeholder"].casefold()
        if key not in existing:
            existing[key] = Stakeholder(
                name=row["stakeholder"], number=row.get("stakeholder_number") or None
            )
            new_stakeholders.append(existing[key])
    try:
        impact_rows_save(impact_map=impact_map, user=user, rows=new_stakeholders)
        outcomes = [
            Outcome(
                stakeholder=existing[row["stakeholder"].casefold()],
                **{
                    k: Decimal(v) if k in DECIMAL_FIELDS and v is not None else v
                    for k, v in row.items()
                    if k not in ("stakeholder", "stakeholder_number", "row") and v is not None
                },
            )
            for row in data["outcomes"]
        ]
        inputs = [
            Input(
                **{
                    k: Decimal(v) if k in DECIMAL_FIELDS and v is not None else v
                    for k, v in row.items()
                    if k != "row"
                }
            )
            for row in data["inputs"]
        ]
        impact_rows_save(impact_map=impact_map, user=user, rows=[*inputs, *outcomes])
    except ValidationError as error:
        raise ValidationError(
            _("Nothing was imported: a row does not fit the map (%(reason)s).")
            % {"reason": "; ".join(error.messages)}
        ) from error
    return len(new_stakeholders), len(outcomes), len(inputs)


@transaction.atomic
def input_suggestion_offer(*, impact_map, user, key):
    """Add the suggestion ``key`` (e.g. a year's verified volunteer hours, or the in-kind value
    of resources lent to the project) to the map as an input, with the figure as it is now
    (never one sent by the browser).

    Offering it again updates that input's figure, year and description: it never adds a
    second input, even when two coordinators offer it at once (the map's row is locked, and
    the database keeps one input per suggestion). Returns the input and whether it changed.
    """
    _require_coordinator(user, impact_map.project)
    impact_map = ImpactMap.objects.select_for_update().get(pk=impact_map.pk)
    suggestion = next((s for s in input_suggestions(impact_map) if s.key == key), None)
    if suggestion is None:
        raise ValidationError(_("This suggestion is no longer offered: nothing was added."))
    if suggestion.map_year is None:
        raise ValidationError(
            _(
                "%(year)s is outside the map's analysis period (%(first)s to %(last)s): "
                "nothing was added."
            )
            % {
                "year": suggestion.year,
                "first": impact_map.first_year,
                "last": impact_map.first_year + impact_map.period_years - 1,
            }
        )
    row = suggestion.current
    if row is None:
        row = Input(
            kind=suggestion.kind,
            suggestion_key=key,
            contributor_name=suggestion.contributor,
        )
    elif (row.kind, row.hours, row.amount, row.year, row.description) == (
        *suggestion.input_figure[:3],
        suggestion.map_year,
        suggestion.description,
    ):
        return row, False
    row.kind, row.hours, row.amount, row.year = suggestion.input_figure
    row.description = suggestion.description
    impact_rows_save(impact_map=impact_map, user=user, rows=[row])
    return row, True


@transaction.atomic
def outcome_suggestion_fill(*, impact_map, user, key, outcome_id):
    """Fill the quantity of one of the map's outcomes with an accepted figure another app
    offers (``key``), and its indicator source with the figure's evidence, as they are now
    (never as the browser sends them). A figure fills one outcome: filling it again updates
    that outcome. Returns the outcome and whether it changed."""
    _require_coordinator(user, impact_map.project)
    impact_map = ImpactMap.objects.select_for_update().get(pk=impact_map.pk)
    suggestion = next((s for s in outcome_suggestions(impact_map) if s.key == key), None)
    if suggestion is None:
        raise ValidationError(_("This figure is no longer offered: nothing was changed."))
    outcome = (
        Outcome.objects.filter(stakeholder__impact_map=impact_map, pk=outcome_id)
        .select_related("stakeholder__impact_map")
        .first()
    )
    if outcome is None:
        raise ValidationError(_("Choose one of the map's outcomes: nothing was changed."))
    if suggestion.current is not None and suggestion.current.pk != outcome.pk:
        raise ValidationError(
            _("This figure already fills “%(outcome)s”: nothing was changed.")
            % {"outcome": suggestion.current.description}
        )
    if (outcome.quantity, outcome.indicator_source, outcome.suggestion_key) == (
        suggestion.quantity,
        suggestion.evidence,
        key,
    ):
        return outcome, False
    outcome.quantity = suggestion.quantity
    outcome.indicator_source = suggestion.evidence
    outcome.suggestion_key = key
    impact_rows_save(impact_map=impact_map, user=user, rows=[outcome])
    return outcome, True


DECIMAL_FIELDS = {
    "quantity",
    "proxy_value",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "amount",
    "hours",
}


PROBLEM_MESSAGES = {
    sroi.NO_INPUTS: lambda: _(
        "Add the inputs (money, in-kind resources or volunteer hours) before publishing: "
        "without them there is no ratio."
    ),
    sroi.NO_OUTCOMES: lambda: _("Add at least one outcome before publishing."),
}


@transaction.atomic
def impact_map_publish(*, impact_map, user):
    """Freeze the current map into its public report. Refuses a map with nothing to show."""
    _require_coordinator(user, impact_map.project)
    ImpactMap.objects.select_for_update().filter(pk=impact_map.pk).first()
    fresh = impact_map_get(impact_map.project, impact_map.kind)
    report = build_report(fresh)
    problems = report["summary"]["problems"]
    if problems:
        raise ValidationError([PROBLEM_MESSAGES[p]() for p in problems])
    now = timezone.now()
    report["published_at"] = now.isoformat()
    impact_map.published = True
    impact_map.published_at = now
    impact_map.published_report = report
    impact_map.save(update_fields=["published", "published_at", "published_report"])
    # The project's public page links the report from now on.
    cache_invalidate()
    return impact_map


@transaction.atomic
def impact_map_unpublish(*, impact_map, user):
    _require_coordinator(user, impact_map.project)
    impact_map.published = False
    impact_map.published_report = None
    impact_map.save(update_fields=["published", "published_report"])
    cache_invalidate()
    return impact_map


@transaction.atomic
def impact_map_delete(*, impact_map, user):
    _require_coordinator(user, impact_map.project)
    was_public = impact_map.published
    impact_map.delete()
    if was_public:
        cache_invalidate()
