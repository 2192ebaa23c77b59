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

Negative outcomes
-----------------
An outcome for a stakeholder who loses (``negative=True``) has the same arithmetic with its
sign turned: its values and present value are below 0 and count against the total. Quantity
and proxy stay ≥ 0; the sign says which way the change goes.

Inputs over several years
-------------------------
Inputs may be given one by one (``Analysis.inputs``), each in a year of the activity and
optionally naming its funder. An input of year *t* is spent at the start of that year and is
discounted *t − 1* times, so year-1 inputs count at time 0, as a single undiscounted total
always did (``Analysis.total_inputs`` is the same as one input in year 1). The ratio divides
present values by present values: ``ratio = total PV ÷ PV(inputs)``.

Per stakeholder and per funder
------------------------------
``stakeholder_ratios[s] = PV(s) ÷ PV(inputs)``: they sum to the whole ratio. A funder's share
is its part of the present value of the inputs; the value attributable to it is that share of
the total PV (so its own ratio is the whole ratio), and its *leverage* is the whole PV divided
by what it put in: what each euro of that funder's money came with.

Break-even
----------
For each outcome, the quantity at which the ratio falls to exactly 1:1 with everything else
held: ``q* = q × (PV(inputs) − (total PV − PV(o))) ÷ PV(o)`` (``0`` when the ratio stays at or
above 1:1 without the outcome at all; ``None`` for an outcome with no value). For the whole
map, the share of the planned positive outcomes that must occur, negative ones counted in
full: ``share = (PV(inputs) − PV(negative)) ÷ PV(positive)``.

Payback as the guide defines it
-------------------------------
The guide's payback period is in months of *undiscounted* value: ``inputs ÷ (annual impact ÷
12)``, where the annual impact is the sum of every outcome's impact in its first year of
effect. It is given beside the discounted payback in years above, never instead of it.

Proxy indexation
----------------
``indexed_proxy(proxy, from_year, to_year, series)`` brings a proxy valued in one year to the
year of analysis with a price index (``series`` maps a year to its index value):
``proxy × series[to_year] ÷ series[from_year]``.

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
TWELVE = Decimal(12)
MAX_YEARS = 50

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
    negative: bool = False


@dataclass(frozen=True)
class InputItem:
    """Money (or money's worth) put in, in one year of the activity, by one funder."""

    amount: Decimal
    year: int = 1
    funder: str = ""


@dataclass(frozen=True)
class Analysis:
    """Everything the calculation needs: the outcomes, the inputs and the rates.

    Give the inputs either as one undiscounted ``total_inputs`` or one by one in ``inputs``.
    """

    outcomes: tuple[Outcome, ...]
    total_inputs: Decimal = ZERO
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE
    activity_years: int = 1
    sensitivity_points: Decimal = DEFAULT_SENSITIVITY_POINTS
    sensitivity_proxy_percent: Decimal = DEFAULT_SENSITIVITY_PROXY_PERCENT
    inputs: tuple[InputItem, ...] = ()


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
    negative: bool = False
    break_even_quantity: Decimal | None = None

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
class FunderResult:
    funder: str
    inputs: Decimal  # undiscounted
    inputs_present_value: Decimal
    share: Decimal  # of the present value of all inputs, 0–1
    value: Decimal  # the share of the total present value attributable to this funder
    leverage: Decimal | None  # total PV ÷ this funder's inputs PV


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
    total_inputs_undiscounted: Decimal = ZERO
    inputs_by_year: dict[int, Decimal] | None = None  # undiscounted, by year
    stakeholder_ratios: dict[str, Decimal | None] | None = None
    funders: tuple[FunderResult, ...] = ()
    positive_present_value: Decimal = ZERO
    negative_present_value: Decimal = ZERO
    break_even_share: Decimal | None = None
    payback_months: Decimal | None = None


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
    if analysis.inputs and analysis.total_inputs:
        raise InvalidInput("inputs", "give either a total or the inputs one by one, not both")
    for item in analysis.inputs:
        if item.amount < 0:
            raise InvalidInput("inputs", "each input must be 0 or more")
        if not 1 <= item.year <= MAX_YEARS:
            raise InvalidInput("inputs", f"an input's year must be between 1 and {MAX_YEARS}")
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
    """Value in the first year of effect, after deadweight, displacement and attribution
    (below 0 for a negative outcome)."""
    sign = -ONE if outcome.negative else ONE
    return (
        sign
        * outcome.quantity
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
        negative=outcome.negative,
    )


def _divide(numerator, denominator):
    return None if denominator == 0 else numerator / denominator


def indexed_proxy(proxy, from_year, to_year, series):
    """``proxy`` valued in ``from_year``, brought to ``to_year`` with a price index; see the
    module. Raises ``InvalidInput`` when the series lacks either year."""
    if from_year == to_year:
        return Decimal(proxy)
    try:
        start, end = Decimal(series[from_year]), Decimal(series[to_year])
    except KeyError as missing:
        raise InvalidInput("proxy_year", f"the index has no value for {missing.args[0]}") from None
    if start <= 0:
        raise InvalidInput("proxy_year", "index values must be above 0")
    return Decimal(proxy) * end / start


def inputs_of(analysis: Analysis):
    """The inputs one by one: a single total counts as one input in year 1."""
    if analysis.inputs:
        return analysis.inputs
    return (InputItem(amount=analysis.total_inputs, year=1),)


def input_present_value(item: InputItem, discount_rate):
    return item.amount * discount_factor(discount_rate, item.year - 1)


def break_even_quantity(outcome: Outcome, result: OutcomeResult, total_pv, inputs_pv):
    """The quantity of ``outcome`` at which the ratio is exactly 1:1; see the module."""
    if result.present_value == 0 or outcome.negative:
        return None
    others = total_pv - result.present_value
    needed = (inputs_pv - others) / result.present_value * outcome.quantity
    return max(ZERO, needed)


def _funders(items, discount_rate, inputs_pv, total_pv):
    by_funder: dict[str, list] = {}
    for item in items:
        row = by_funder.setdefault(item.funder, [ZERO, ZERO])
        row[0] += item.amount
        row[1] += input_present_value(item, discount_rate)
    if list(by_funder) == [""]:
        return ()
    funders = []
    for funder, (amount, present) in by_funder.items():
        share = _divide(present, inputs_pv) or ZERO
        funders.append(
            FunderResult(
                funder=funder,
                inputs=amount,
                inputs_present_value=present,
                share=share,
                value=total_pv * share,
                leverage=_divide(total_pv, present),
            )
        )
    return tuple(funders)


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
    """(base, low setting, high setting) of one assumption: "low" lowers the value (for a
    negative outcome, a larger loss lowers it)."""
    if assumption == Assumption.PROXY:
        base = outcome.proxy
        change = base * _fraction(proxy_percent)
        smaller, larger = max(ZERO, base - change), base + change
    else:
        base = getattr(outcome, assumption.value)
        # More deadweight (or displacement, attribution, drop-off) means a smaller change.
        larger, smaller = max(ZERO, base - points), min(HUNDRED, base + points)
    return (base, larger, smaller) if outcome.negative else (base, smaller, larger)


def _with(outcome: Outcome, assumption: Assumption, setting):
    return replace(outcome, **{assumption.value: setting})


def sensitivity(
    analysis: Analysis, results: Sequence[OutcomeResult], inputs: Decimal
) -> Sensitivity:
    points = analysis.sensitivity_points
    proxy_percent = analysis.sensitivity_proxy_percent
    total = sum((r.present_value for r in results), ZERO)
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
        items = inputs_of(analysis)
        inputs = sum((input_present_value(i, analysis.discount_rate) for i in items), ZERO)
        undiscounted = sum((i.amount for i in items), ZERO)
        inputs_by_year: dict[int, Decimal] = {}
        for item in sorted(items, key=lambda i: i.year):
            inputs_by_year[item.year] = inputs_by_year.get(item.year, ZERO) + item.amount
        results = tuple(
            replace(r, break_even_quantity=break_even_quantity(o, r, total_pv, inputs))
            for o, r in zip(analysis.outcomes, results, strict=True)
        )
        positive = sum((r.present_value for r in results if not r.negative), ZERO)
        negative = sum((r.present_value for r in results if r.negative), ZERO)
        annual_impact = sum((r.impact for r in results), ZERO)
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
            sensitivity=sensitivity(analysis, results, inputs),
            problems=tuple(problems),
            total_inputs_undiscounted=undiscounted,
            inputs_by_year=inputs_by_year,
            stakeholder_ratios={s: _divide(v, inputs) for s, v in by_stakeholder.items()},
            funders=_funders(items, analysis.discount_rate, inputs, total_pv),
            positive_present_value=positive,
            negative_present_value=negative,
            break_even_share=_divide(inputs - negative, positive) if inputs else None,
            payback_months=(
                undiscounted / (annual_impact / TWELVE)
                if undiscounted > 0 and annual_impact > 0
                else None
            ),
        )
