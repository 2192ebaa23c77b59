"""Social return on investment (SROI): the arithmetic, and nothing else.

This module has no Django in it on purpose: the method must be readable, testable and
reusable on its own (a notebook, a command-line check of someone's spreadsheet). It follows
the Social Value UK / Social Value International guide ("A Guide to Social Return on
Investment", 2012) and its impact map.

Money is ``Decimal`` throughout and is never rounded here; ``money()`` and ``ratio()`` round
for display only (half up, to the cent / hundredth). Percentages are given as numbers from
0 to 100 (``Decimal("3.5")`` is 3.5 %).

Timeline
--------
Years are counted from the start of the analysed activity: year 1 is the first year of the
activity, which lasts ``activity_years`` (the analysis period, ≥ 1). An outcome that starts
*during* the activity has its first year of effect in year 1; one that starts *after* the
activity has it in year ``activity_years + 1``. An outcome lasts ``duration`` years (≥ 1).
The inputs are the investment for the whole analysis period and count at time 0.

Formulas (for one outcome *o*, with percentages as fractions)
-------------------------------------------------------------
::

    impact(o)       = quantity × proxy × (1 − deadweight) × (1 − displacement)
                                       × (1 − attribution)                 (first year of effect)
    value(o, s + k) = impact(o) × (1 − drop_off)^k        for k = 0 … duration − 1,
                                                          s = first year of effect
    PV(o)           = Σ_t value(o, t) / (1 + r)^t         r = discount rate (default 3.5 %)

    total PV        = Σ_o PV(o)
    NPV             = total PV − total inputs
    SROI ratio      = total PV ÷ total inputs
    net SROI ratio  = NPV ÷ total inputs                  (= SROI ratio − 1)

Drop-off is not applied in the first year of effect. Year *t* is discounted *t* times (the
guide's convention, and a spreadsheet's ``NPV()``), so even value in year 1 is discounted.

Payback period: the years until the cumulative present value reaches the inputs, counting
value as spread evenly over each year: if it is reached during year *t*,
``payback = (t − 1) + (inputs − cumulative PV to year t − 1) ÷ PV of year t``. ``None`` when
the value never reaches the inputs within the outcomes' durations.

With no inputs (total 0) the ratio, the net ratio and the payback period are undefined:
they are ``None`` and ``Result.problems`` says ``"no_inputs"``, rather than a division error.
With no outcomes, ``problems`` says ``"no_outcomes"`` and every value is 0.

Sensitivity analysis
--------------------
Each assumption of each outcome is varied on its own, the others held:
deadweight, displacement, attribution and drop-off by ± ``points`` percentage points
(clamped to 0–100), the proxy value by ± ``proxy_percent`` % of itself (never below 0).
For each, the "low" setting is the one that lowers the value (more deadweight, a smaller
proxy…). Each variation gives a total PV and a ratio; the *swing* (high − low) ranks the
assumptions, largest first: the first one is the assumption that moves the ratio most, and
the list is the data of a tornado chart. The one-at-a-time range is the lowest and highest
ratio among the variations; the scenario range sets every assumption of every outcome to its
low (or high) setting at once, the widest honest range.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
DEFAULT_DISCOUNT_RATE = Decimal("3.5")
DEFAULT_SENSITIVITY_POINTS = Decimal(10)
DEFAULT_SENSITIVITY_PROXY_PERCENT = Decimal(20)
CENT = Decimal("0.01")

NO_INPUTS = "no_inputs"
NO_OUTCOMES = "no_outcomes"


class Start(StrEnum):
    """When an outcome's first year of effect is."""

    DURING = "during"
    AFTER = "after"


class Assumption(StrEnum):
    """The assumptions the sensitivity analysis varies."""

    DEADWEIGHT = "deadweight"
    DISPLACEMENT = "displacement"
    ATTRIBUTION = "attribution"
    DROP_OFF = "drop_off"
    PROXY = "proxy"


PERCENTAGES = (
    Assumption.DEADWEIGHT,
    Assumption.DISPLACEMENT,
    Assumption.ATTRIBUTION,
    Assumption.DROP_OFF,
)


class InvalidInput(ValueError):
    """An input outside its domain (a negative quantity, a percentage over 100…)."""

    def __init__(self, field, message, key=None):
        self.field = field
        self.key = key
        super().__init__(f"{key + ': ' if key else ''}{field}: {message}")


@dataclass(frozen=True)
class Outcome:
    """One row of the impact map: a change for one stakeholder, valued by a proxy."""

    key: str
    stakeholder: str
    quantity: Decimal
    proxy: Decimal
    duration: int = 1
    starts: Start = Start.DURING
    deadweight: Decimal = ZERO
    displacement: Decimal = ZERO
    attribution: Decimal = ZERO
    drop_off: Decimal = ZERO


@dataclass(frozen=True)
class Analysis:
    """Everything the calculation needs: the outcomes, the inputs and the rates."""

    outcomes: tuple[Outcome, ...]
    total_inputs: Decimal
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE
    activity_years: int = 1
    sensitivity_points: Decimal = DEFAULT_SENSITIVITY_POINTS
    sensitivity_proxy_percent: Decimal = DEFAULT_SENSITIVITY_PROXY_PERCENT


@dataclass(frozen=True)
class OutcomeResult:
    key: str
    stakeholder: str
    first_year: int
    impact: Decimal
    values: tuple[Decimal, ...]  # value in each year of effect, first_year onwards
    present_values: tuple[Decimal, ...]
    total_value: Decimal
    present_value: Decimal

    def value_in(self, year):
        index = year - self.first_year
        return self.values[index] if 0 <= index < len(self.values) else ZERO

    def present_value_in(self, year):
        index = year - self.first_year
        return self.present_values[index] if 0 <= index < len(self.present_values) else ZERO


@dataclass(frozen=True)
class YearResult:
    year: int  # 1 = first year of the activity
    value: Decimal
    present_value: Decimal
    cumulative_present_value: Decimal


@dataclass(frozen=True)
class SensitivityItem:
    """One assumption of one outcome, varied on its own."""

    key: str
    assumption: Assumption
    base: Decimal
    low_setting: Decimal
    high_setting: Decimal
    present_value_low: Decimal
    present_value_high: Decimal
    ratio_low: Decimal | None
    ratio_high: Decimal | None

    @property
    def swing(self):
        return self.present_value_high - self.present_value_low


@dataclass(frozen=True)
class Sensitivity:
    items: tuple[SensitivityItem, ...]  # largest swing first
    ratio_low: Decimal | None
    ratio_high: Decimal | None
    scenario_present_value_low: Decimal
    scenario_present_value_high: Decimal
    scenario_ratio_low: Decimal | None
    scenario_ratio_high: Decimal | None

    @property
    def most_sensitive(self):
        return self.items[0] if self.items and self.items[0].swing > 0 else None


@dataclass(frozen=True)
class Result:
    outcomes: tuple[OutcomeResult, ...]
    years: tuple[YearResult, ...]
    by_stakeholder: dict[str, Decimal]  # present value, in first-seen order
    total_value: Decimal
    total_present_value: Decimal
    total_inputs: Decimal
    net_present_value: Decimal
    ratio: Decimal | None
    net_ratio: Decimal | None
    payback_years: Decimal | None
    sensitivity: Sensitivity
    problems: tuple[str, ...]


# --- Display rounding ---------------------------------------------------------------------


def money(value):
    """Round to the cent, half up: for display and downloads only."""
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(value):
    """Round a ratio (or a number of years) to two decimals, half up."""
    return money(value)


# --- The calculation ----------------------------------------------------------------------


def _fraction(percent):
    return Decimal(percent) / HUNDRED


def check(analysis: Analysis):
    """Raise ``InvalidInput`` for anything outside its domain."""
    if analysis.total_inputs < 0:
        raise InvalidInput("total_inputs", "must be 0 or more")
    if not ZERO <= analysis.discount_rate <= HUNDRED:
        raise InvalidInput("discount_rate", "must be between 0 and 100")
    if analysis.activity_years < 1:
        raise InvalidInput("activity_years", "must be 1 or more")
    if analysis.sensitivity_points < 0 or analysis.sensitivity_proxy_percent < 0:
        raise InvalidInput("sensitivity", "variations must be 0 or more")
    for outcome in analysis.outcomes:
        if outcome.quantity < 0:
            raise InvalidInput("quantity", "must be 0 or more", outcome.key)
        if outcome.proxy < 0:
            raise InvalidInput("proxy", "must be 0 or more", outcome.key)
        if outcome.duration < 1:
            raise InvalidInput("duration", "must be 1 year or more", outcome.key)
        for name in PERCENTAGES:
            if not ZERO <= getattr(outcome, name) <= HUNDRED:
                raise InvalidInput(name, "must be between 0 and 100", outcome.key)


def first_year(outcome: Outcome, activity_years: int):
    return 1 if outcome.starts == Start.DURING else activity_years + 1


def impact(outcome: Outcome):
    """Value in the first year of effect, after deadweight, displacement and attribution."""
    return (
        outcome.quantity
        * outcome.proxy
        * (ONE - _fraction(outcome.deadweight))
        * (ONE - _fraction(outcome.displacement))
        * (ONE - _fraction(outcome.attribution))
    )


def discount_factor(rate, year):
    return ONE / (ONE + _fraction(rate)) ** year


def outcome_result(outcome: Outcome, *, discount_rate, activity_years) -> OutcomeResult:
    start = first_year(outcome, activity_years)
    first = impact(outcome)
    keep = ONE - _fraction(outcome.drop_off)
    values = [first]
    # Repeated multiplication, not keep ** k: Decimal refuses 0 ** 0 (a 100 % drop-off).
    for _ in range(outcome.duration - 1):
        values.append(values[-1] * keep)
    values = tuple(values)
    present = tuple(
        value * discount_factor(discount_rate, start + k) for k, value in enumerate(values)
    )
    return OutcomeResult(
        key=outcome.key,
        stakeholder=outcome.stakeholder,
        first_year=start,
        impact=first,
        values=values,
        present_values=present,
        total_value=sum(values, ZERO),
        present_value=sum(present, ZERO),
    )


def _divide(numerator, denominator):
    return None if denominator == 0 else numerator / denominator


def payback_years(years: Sequence[YearResult], total_inputs):
    """Years (fractional) until cumulative present value reaches the inputs; see the module."""
    if total_inputs <= 0:
        return None
    previous = ZERO
    for year in years:
        if year.cumulative_present_value >= total_inputs and year.present_value > 0:
            return Decimal(year.year - 1) + (total_inputs - previous) / year.present_value
        previous = year.cumulative_present_value
    return None


def _total_present_value(outcomes: Iterable[Outcome], analysis: Analysis):
    return sum(
        (
            outcome_result(
                o, discount_rate=analysis.discount_rate, activity_years=analysis.activity_years
            ).present_value
            for o in outcomes
        ),
        ZERO,
    )


def _settings(outcome: Outcome, assumption: Assumption, points, proxy_percent):
    """(base, low setting, high setting) of one assumption: "low" lowers the value."""
    if assumption == Assumption.PROXY:
        base = outcome.proxy
        change = base * _fraction(proxy_percent)
        return base, max(ZERO, base - change), base + change
    base = getattr(outcome, assumption.value)
    return base, min(HUNDRED, base + points), max(ZERO, base - points)


def _with(outcome: Outcome, assumption: Assumption, setting):
    return replace(outcome, **{assumption.value: setting})


def sensitivity(analysis: Analysis, results: Sequence[OutcomeResult]) -> Sensitivity:
    points = analysis.sensitivity_points
    proxy_percent = analysis.sensitivity_proxy_percent
    total = sum((r.present_value for r in results), ZERO)
    inputs = analysis.total_inputs
    items = []
    low_outcomes, high_outcomes = [], []
    for outcome, result in zip(analysis.outcomes, results, strict=True):
        low_all, high_all = outcome, outcome
        for assumption in Assumption:
            base, low, high = _settings(outcome, assumption, points, proxy_percent)
            low_all = _with(low_all, assumption, low)
            high_all = _with(high_all, assumption, high)
            # Only this outcome's PV changes: swap it in the total.
            pv_low = (
                total
                - result.present_value
                + _total_present_value([_with(outcome, assumption, low)], analysis)
            )
            pv_high = (
                total
                - result.present_value
                + _total_present_value([_with(outcome, assumption, high)], analysis)
            )
            items.append(
                SensitivityItem(
                    key=outcome.key,
                    assumption=assumption,
                    base=base,
                    low_setting=low,
                    high_setting=high,
                    present_value_low=pv_low,
                    present_value_high=pv_high,
                    ratio_low=_divide(pv_low, inputs),
                    ratio_high=_divide(pv_high, inputs),
                )
            )
        low_outcomes.append(low_all)
        high_outcomes.append(high_all)
    # Stable sort: equal swings keep the map's order (outcome, then assumption).
    items.sort(key=lambda item: item.swing, reverse=True)
    scenario_low = _total_present_value(low_outcomes, analysis)
    scenario_high = _total_present_value(high_outcomes, analysis)
    ratios = [r for item in items for r in (item.ratio_low, item.ratio_high) if r is not None]
    return Sensitivity(
        items=tuple(items),
        ratio_low=min(ratios) if ratios else None,
        ratio_high=max(ratios) if ratios else None,
        scenario_present_value_low=scenario_low,
        scenario_present_value_high=scenario_high,
        scenario_ratio_low=_divide(scenario_low, inputs),
        scenario_ratio_high=_divide(scenario_high, inputs),
    )


def calculate(analysis: Analysis) -> Result:
    """The whole SROI calculation of an impact map; see the module docstring."""
    check(analysis)
    with localcontext() as context:
        # Enough digits that 50 years of compounding and long sums never round a cent away.
        context.prec = 40
        results = tuple(
            outcome_result(
                o, discount_rate=analysis.discount_rate, activity_years=analysis.activity_years
            )
            for o in analysis.outcomes
        )
        last = max([analysis.activity_years] + [r.first_year + len(r.values) - 1 for r in results])
        years, cumulative = [], ZERO
        for year in range(1, last + 1):
            value = sum((r.value_in(year) for r in results), ZERO)
            present = sum((r.present_value_in(year) for r in results), ZERO)
            cumulative += present
            years.append(YearResult(year, value, present, cumulative))
        by_stakeholder: dict[str, Decimal] = {}
        for r in results:
            by_stakeholder[r.stakeholder] = by_stakeholder.get(r.stakeholder, ZERO) + (
                r.present_value
            )
        total_pv = sum((r.present_value for r in results), ZERO)
        inputs = analysis.total_inputs
        npv = total_pv - inputs
        problems = []
        if inputs == 0:
            problems.append(NO_INPUTS)
        if not analysis.outcomes:
            problems.append(NO_OUTCOMES)
        return Result(
            outcomes=results,
            years=tuple(years),
            by_stakeholder=by_stakeholder,
            total_value=sum((r.total_value for r in results), ZERO),
            total_present_value=total_pv,
            total_inputs=inputs,
            net_present_value=npv,
            ratio=_divide(total_pv, inputs),
            net_ratio=_divide(npv, inputs),
            payback_years=payback_years(years, inputs),
            sensitivity=sensitivity(analysis, results),
            problems=tuple(problems),
        )
