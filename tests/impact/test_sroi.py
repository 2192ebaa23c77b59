"""The SROI arithmetic (impact.sroi) against examples worked out by hand, and its properties.

No database: impact.sroi has no Django in it.
"""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impact import sroi
from impact.sroi import Analysis, Assumption, Outcome, Start, calculate, money
from tests.hypothesis_profiles import examples


def test_worked_example_drop_off_over_three_years():
    # 10 young people, proxy 1,000, deadweight 20 %, attribution 25 %, drop-off 10 %,
    # lasting 3 years from the first year of the activity; no discounting (rate 0).
    #   year 1: 10 × 1,000 × (1 − 0.20) × (1 − 0) × (1 − 0.25) = 6,000.00
    #   year 2: 6,000 × (1 − 0.10)                               = 5,400.00
    #   year 3: 5,400 × (1 − 0.10)                               = 4,860.00
    #   total present value (rate 0 = undiscounted)              = 16,260.00
    # Inputs 5,000: ratio 16,260 / 5,000 = 3.252 → 3.25; NPV 11,260; net ratio 2.252 → 2.25.
    # Payback: year 1 alone (6,000) covers 5,000: 5,000 / 6,000 = 0.8333 years → 0.83.
    analysis = Analysis(
        outcomes=(
            Outcome(
                key="job",
                stakeholder="young",
                quantity=D(10),
                proxy=D(1000),
                duration=3,
                deadweight=D(20),
                attribution=D(25),
                drop_off=D(10),
            ),
        ),
        total_inputs=D(5000),
        discount_rate=D(0),
    )
    result = calculate(analysis)
    assert [y.value for y in result.years] == [D(6000), D(5400), D(4860)]
    assert result.outcomes[0].impact == D(6000)
    assert result.total_present_value == D("16260")
    assert result.net_present_value == D("11260")
    assert money(result.ratio) == D("3.25")
    assert money(result.net_ratio) == D("2.25")
    assert money(result.payback_years) == D("0.83")
    assert result.problems == ()


def test_worked_example_sensitivity_of_the_drop_off_example():
    # Same map, each assumption moved ±10 points (proxy ±20 %), one at a time:
    #   proxy 800 / 1,200: PV × 0.8 / × 1.2           = 13,008.00 / 19,512.00  (swing 6,504)
    #   attribution 35 / 15 %: PV × 0.65/0.75, × 0.85/0.75 = 14,092.00 / 18,428.00 (4,336)
    #   deadweight 30 / 10 %: PV × 0.7/0.8, × 0.9/0.8  = 14,227.50 / 18,292.50  (4,065)
    #   drop-off 20 / 0 %: 6,000 × (1 + .8 + .64) = 14,640; 6,000 × 3 = 18,000  (3,360)
    #   displacement 10 / 0 % (cannot go below 0): 16,260 × 0.9 = 14,634 / 16,260 (1,626)
    # The proxy moves the ratio most: 13,008 / 5,000 = 2.6016 → 2.60 to 3.9024 → 3.90.
    # All at once, low: 10 × 800 × .7 × .9 × .65 = 3,276 × 2.44 = 7,993.44 → ratio 1.60;
    #              high: 10 × 1,200 × .9 × 1 × .85 = 9,180 × 3 = 27,540 → ratio 5.51.
    analysis = Analysis(
        outcomes=(
            Outcome("job", "young", D(10), D(1000), 3, Start.DURING, D(20), D(0), D(25), D(10)),
        ),
        total_inputs=D(5000),
        discount_rate=D(0),
        sensitivity_points=D(10),
        sensitivity_proxy_percent=D(20),
    )
    s = calculate(analysis).sensitivity
    assert [(i.assumption, i.present_value_low, i.present_value_high) for i in s.items] == [
        (Assumption.PROXY, D("13008"), D("19512")),
        (Assumption.ATTRIBUTION, D("14092"), D("18428")),
        (Assumption.DEADWEIGHT, D("14227.5"), D("18292.5")),
        (Assumption.DROP_OFF, D("14640"), D("18000")),
        (Assumption.DISPLACEMENT, D("14634"), D("16260")),
    ]
    assert s.most_sensitive.assumption == Assumption.PROXY
    assert (money(s.ratio_low), money(s.ratio_high)) == (D("2.60"), D("3.90"))
    assert s.scenario_present_value_low == D("7993.44")
    assert s.scenario_present_value_high == D("27540")
    assert (money(s.scenario_ratio_low), money(s.scenario_ratio_high)) == (D("1.60"), D("5.51"))


def test_worked_example_discounting_at_3_5_percent():
    # 4 people × proxy 2,500 = 10,000 a year, no deductions, lasting 2 years, rate 3.5 %:
    #   year 1: 10,000 / 1.035     = 9,661.835748792…
    #   year 2: 10,000 / 1.035²    = 10,000 / 1.071225 = 9,335.107003663…
    #   total PV                   = 18,996.942752455… → 18,996.94
    # Inputs 6,000: ratio 3.166157… → 3.17; NPV 12,996.94; net ratio 2.17.
    # Payback inside year 1: 6,000 / 9,661.8357 = 0.62100 → 0.62.
    analysis = Analysis(
        outcomes=(Outcome("skills", "young", D(4), D(2500), 2),),
        total_inputs=D(6000),
    )
    result = calculate(analysis)
    assert analysis.discount_rate == D("3.5")  # the default
    assert money(result.years[0].present_value) == D("9661.84")
    assert money(result.years[1].present_value) == D("9335.11")
    assert money(result.total_present_value) == D("18996.94")
    assert result.total_value == D(20000)
    assert money(result.net_present_value) == D("12996.94")
    assert money(result.ratio) == D("3.17")
    assert money(result.net_ratio) == D("2.17")
    assert money(result.payback_years) == D("0.62")


def test_worked_example_displacement_starting_after_the_activity():
    # 20 people × proxy 500, deadweight 10 %, displacement 30 %, drop-off 50 %, lasting 2
    # years and starting after a one-year activity (so in years 2 and 3), rate 5 %:
    #   year 2 value: 20 × 500 × 0.9 × 0.7 = 6,300;  PV 6,300 / 1.05² = 6,300 / 1.1025
    #                                                              = 5,714.285714…
    #   year 3 value: 6,300 × 0.5 = 3,150;           PV 3,150 / 1.05³ = 3,150 / 1.157625
    #                                                              = 2,721.088435…
    #   total PV = 8,435.374149… → 8,435.37; inputs 4,000: ratio 2.108843… → 2.11.
    # Payback: nothing in year 1; year 2 brings 5,714.29 ≥ 4,000: 1 + 4,000 / 5,714.2857
    #   = 1 + 0.7 = 1.70 years.
    analysis = Analysis(
        outcomes=(
            Outcome(
                key="work",
                stakeholder="young",
                quantity=D(20),
                proxy=D(500),
                duration=2,
                starts=Start.AFTER,
                deadweight=D(10),
                displacement=D(30),
                drop_off=D(50),
            ),
        ),
        total_inputs=D(4000),
        discount_rate=D(5),
    )
    result = calculate(analysis)
    assert [(y.year, y.value) for y in result.years] == [(1, 0), (2, D(6300)), (3, D(3150))]
    assert result.outcomes[0].first_year == 2
    assert money(result.years[1].present_value) == D("5714.29")
    assert money(result.years[2].present_value) == D("2721.09")
    assert money(result.total_present_value) == D("8435.37")
    assert money(result.ratio) == D("2.11")
    assert money(result.payback_years) == D("1.70")


def test_worked_example_two_stakeholders_over_a_two_year_activity():
    # Activity of 2 years, rate 0. Young people: 5 × 1,000, no deductions, 1 year, during →
    # year 1: 5,000. Families: 2 × 1,500 × (1 − 0.5 attribution) = 1,500, 2 years, after →
    # years 3 and 4 (drop-off 0): 1,500 each. Total 8,000; inputs 10,000 → ratio 0.80,
    # NPV −2,000, and the value never reaches the inputs: no payback.
    analysis = Analysis(
        outcomes=(
            Outcome("a", "young", D(5), D(1000), 1),
            Outcome("b", "families", D(2), D(1500), 2, Start.AFTER, attribution=D(50)),
        ),
        total_inputs=D(10000),
        discount_rate=D(0),
        activity_years=2,
    )
    result = calculate(analysis)
    assert [y.value for y in result.years] == [D(5000), 0, D(1500), D(1500)]
    assert result.by_stakeholder == {"young": D(5000), "families": D(3000)}
    assert money(result.ratio) == D("0.80")
    assert result.net_present_value == D(-2000)
    assert result.payback_years is None


def test_zero_inputs_is_a_result_state_not_a_division_error():
    analysis = Analysis(outcomes=(Outcome("a", "young", D(5), D(1000)),), total_inputs=D(0))
    result = calculate(analysis)
    assert result.ratio is None
    assert result.net_ratio is None
    assert result.payback_years is None
    assert result.problems == (sroi.NO_INPUTS,)
    assert result.sensitivity.ratio_low is None
    assert result.sensitivity.items[0].present_value_high > result.total_present_value


def test_empty_map_reports_both_problems():
    result = calculate(Analysis(outcomes=(), total_inputs=D(0)))
    assert result.problems == (sroi.NO_INPUTS, sroi.NO_OUTCOMES)
    assert result.total_present_value == 0
    assert result.sensitivity.most_sensitive is None
    assert [y.year for y in result.years] == [1]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": D(-1)}, "quantity"),
        ({"proxy": D("-0.01")}, "proxy"),
        ({"duration": 0}, "duration"),
        ({"deadweight": D("100.01")}, "deadweight"),
        ({"attribution": D(-1)}, "attribution"),
        ({"drop_off": D(101)}, "drop_off"),
    ],
)
def test_invalid_outcome_is_refused(change, field):
    fields = {"key": "a", "stakeholder": "s", "quantity": D(1), "proxy": D(1), **change}
    with pytest.raises(sroi.InvalidInput) as error:
        calculate(Analysis(outcomes=(Outcome(**fields),), total_inputs=D(1)))
    assert error.value.field == field


def test_money_rounds_half_up_only_for_display():
    assert money(D("0.005")) == D("0.01")
    assert money(D("2.675")) == D("2.68")  # a float would give 2.67
    assert money(None) is None


# --- Properties -----------------------------------------------------------------------------

percent = st.decimals(min_value=0, max_value=100, places=2)
amount = st.decimals(min_value=0, max_value=1_000_000, places=2)
outcomes = st.lists(
    st.builds(
        Outcome,
        key=st.uuids().map(str),
        stakeholder=st.sampled_from(["a", "b", "c"]),
        quantity=st.decimals(min_value=0, max_value=10_000, places=2),
        proxy=amount,
        duration=st.integers(min_value=1, max_value=15),
        starts=st.sampled_from(list(Start)),
        deadweight=percent,
        displacement=percent,
        attribution=percent,
        drop_off=percent,
    ),
    min_size=1,
    max_size=6,
)
inputs = st.decimals(min_value=D("0.01"), max_value=10_000_000, places=2)
rates = st.decimals(min_value=0, max_value=20, places=2)


@settings(max_examples=examples(150), deadline=None)
@given(
    outcomes=outcomes,
    total_inputs=inputs,
    rate=rates,
    years=st.integers(1, 5),
    index=st.integers(0, 5),
    extra=percent,
)
def test_ratio_never_rises_when_deadweight_rises(
    outcomes, total_inputs, rate, years, index, extra
):
    index %= len(outcomes)
    before = Analysis(tuple(outcomes), total_inputs, rate, years)
    raised = list(outcomes)
    target = raised[index]
    raised[index] = Outcome(
        **{**target.__dict__, "deadweight": min(D(100), target.deadweight + extra)}
    )
    after = Analysis(tuple(raised), total_inputs, rate, years)
    assert calculate(after).ratio <= calculate(before).ratio


@settings(max_examples=examples(150), deadline=None)
@given(outcomes=outcomes, total_inputs=inputs, years=st.integers(1, 5))
def test_present_value_at_rate_zero_equals_the_undiscounted_sum(outcomes, total_inputs, years):
    result = calculate(Analysis(tuple(outcomes), total_inputs, D(0), years))
    undiscounted = D(0)
    for outcome in outcomes:
        # Independently of the module: Σ impact × (1 − drop-off)^k over the duration.
        first = (
            outcome.quantity
            * outcome.proxy
            * (1 - outcome.deadweight / 100)
            * (1 - outcome.displacement / 100)
            * (1 - outcome.attribution / 100)
        )
        value = first
        for _ in range(outcome.duration):
            undiscounted += value
            value *= 1 - outcome.drop_off / 100
    assert money(result.total_present_value) == money(undiscounted)
    assert result.total_present_value == result.total_value
    assert money(result.total_present_value) == money(sum((y.value for y in result.years), D(0)))


@settings(max_examples=examples(100), deadline=None)
@given(outcomes=outcomes, total_inputs=inputs, rate=rates)
def test_discounting_never_adds_value_and_sensitivity_brackets_the_ratio(
    outcomes, total_inputs, rate
):
    result = calculate(Analysis(tuple(outcomes), total_inputs, rate))
    assert result.total_present_value <= result.total_value
    s = result.sensitivity
    assert s.ratio_low <= result.ratio <= s.ratio_high
    assert s.scenario_ratio_low <= s.ratio_low
    assert s.ratio_high <= s.scenario_ratio_high
    swings = [item.swing for item in s.items]
    assert swings == sorted(swings, reverse=True)
