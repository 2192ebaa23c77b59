"""SROI as practitioners do it (impact.sroi): negative outcomes, inputs over years, ratios per
stakeholder and per funder, break-even, the guide's payback in months and proxy indexation.

Worked cases computed by hand, then properties. No database.
"""

from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from impact import sroi
from impact.sroi import Analysis, InputItem, Outcome, calculate, money
from tests.hypothesis_profiles import examples


def _loss_map(**changes):
    # Jobs for 10 young people, valued 1,000 each for one year (10,000), and a loss for 5
    # families: 400 each with 50 % deadweight = 1,000 lost. Rate 0 keeps it arithmetic.
    young = Outcome(key="jobs", stakeholder="young", quantity=D(10), proxy=D(1000))
    families = Outcome(
        key="moved",
        stakeholder="families",
        quantity=D(5),
        proxy=D(400),
        deadweight=D(50),
        negative=True,
    )
    return Analysis(
        outcomes=(changes.get("young", young), families),
        total_inputs=D(3000),
        discount_rate=D(0),
    )


def test_a_negative_outcome_counts_against_the_total():
    # 10,000 − 1,000 = 9,000 of value for 3,000 in: 3.00 (it would be 3.33 without the loss).
    result = calculate(_loss_map())
    assert result.outcomes[1].present_value == D(-1000)
    assert result.outcomes[1].negative is True
    assert result.total_present_value == D(9000)
    assert result.positive_present_value == D(10000)
    assert result.negative_present_value == D(-1000)
    assert money(result.ratio) == D("3.00")
    assert result.by_stakeholder == {"young": D(10000), "families": D(-1000)}


def test_ratios_per_stakeholder_sum_to_the_whole():
    # young 10,000 / 3,000 = 3.33…; families −1,000 / 3,000 = −0.33…; together 3.00.
    result = calculate(_loss_map())
    ratios = result.stakeholder_ratios
    assert money(ratios["young"]) == D("3.33")
    assert money(ratios["families"]) == D("-0.33")
    assert sum(ratios.values()) == result.ratio


def test_break_even_quantity_of_an_outcome_and_share_of_the_map():
    # Jobs: q* = 10 × (3,000 − (9,000 − 10,000)) / 10,000 = 4 jobs; 4 × 1,000 − 1,000 = 3,000.
    # The map: (3,000 + 1,000) / 10,000 = 40 % of the planned jobs must happen.
    result = calculate(_loss_map())
    jobs, moved = result.outcomes
    assert jobs.break_even_quantity == D(4)
    assert moved.break_even_quantity is None  # a loss has no break-even quantity
    assert result.break_even_share == D("0.4")
    back = _loss_map(young=Outcome(key="jobs", stakeholder="young", quantity=D(4), proxy=D(1000)))
    assert calculate(back).ratio == 1


def test_break_even_is_zero_when_the_ratio_holds_without_the_outcome():
    extra = Outcome(key="extra", stakeholder="young", quantity=D(1), proxy=D(10))
    analysis = Analysis(
        outcomes=(Outcome(key="big", stakeholder="y", quantity=D(10), proxy=D(1000)), extra),
        total_inputs=D(100),
        discount_rate=D(0),
    )
    assert calculate(analysis).outcomes[1].break_even_quantity == 0


def test_inputs_over_three_years_are_discounted_like_the_outcomes():
    # 10,000 a year for three years, spent at the start of each year, at 3.5 %:
    #   10,000 + 10,000 / 1.035 + 10,000 / 1.035² = 10,000 + 9,661.84 + 9,335.11 = 28,996.94
    # 100 people × 500 a year for three years (years 1–3, each discounted t times):
    #   50,000 × (1/1.035 + 1/1.035² + 1/1.035³) = 140,081.85
    # ratio = 140,081.85 / 28,996.94 = 4.83 (exactly 5 / 1.035: every year of value is
    # discounted once more than the input that year).
    analysis = Analysis(
        outcomes=(
            Outcome(key="skills", stakeholder="young", quantity=D(100), proxy=D(500), duration=3),
        ),
        inputs=tuple(InputItem(amount=D(10000), year=year) for year in (1, 2, 3)),
        activity_years=3,
    )
    result = calculate(analysis)
    assert money(result.total_inputs) == D("28996.94")
    assert result.total_inputs_undiscounted == D(30000)
    assert result.inputs_by_year == {1: D(10000), 2: D(10000), 3: D(10000)}
    assert money(result.total_present_value) == D("140081.85")
    assert money(result.ratio) == D("4.83")
    with localcontext() as context:
        context.prec = 28
        assert abs(result.ratio - D(5) / D("1.035")) < D("1e-20")


def test_a_single_total_is_one_input_in_year_one():
    outcome = Outcome(key="a", stakeholder="s", quantity=D(3), proxy=D(700), duration=2)
    as_total = calculate(Analysis(outcomes=(outcome,), total_inputs=D(1234)))
    one_by_one = calculate(Analysis(outcomes=(outcome,), inputs=(InputItem(D(1234)),)))
    assert as_total.ratio == one_by_one.ratio
    assert as_total.total_inputs == one_by_one.total_inputs == D(1234)


def test_funders_share_the_value_and_show_their_leverage():
    # 20,000 of value; the foundation put in 6,000 and the city council 4,000 (year 1):
    # shares 60 % / 40 %, value 12,000 / 8,000, leverage 20,000 / 6,000 = 3.33 and 5.00.
    analysis = Analysis(
        outcomes=(Outcome(key="a", stakeholder="s", quantity=D(20), proxy=D(1000)),),
        inputs=(
            InputItem(amount=D(6000), funder="Fundació Arrel"),
            InputItem(amount=D(4000), funder="Ajuntament"),
        ),
        discount_rate=D(0),
    )
    foundation, council = calculate(analysis).funders
    assert (foundation.funder, foundation.share, foundation.value) == (
        "Fundació Arrel",
        D("0.6"),
        D(12000),
    )
    assert money(foundation.leverage) == D("3.33")
    assert (council.share, council.value, council.leverage) == (D("0.4"), D(8000), D(5))


def test_no_funders_named_gives_no_funder_rows():
    analysis = Analysis(
        outcomes=(Outcome(key="a", stakeholder="s", quantity=D(1), proxy=D(1)),),
        total_inputs=D(1),
    )
    assert calculate(analysis).funders == ()


def test_payback_in_months_of_undiscounted_value_as_the_guide_defines_it():
    # Annual impact 10,000 − 1,000 = 9,000, i.e. 750 a month: 3,000 are paid back in 4 months.
    result = calculate(_loss_map())
    assert result.payback_months == D(4)
    assert result.payback_years is not None  # the discounted figure stays beside it


def test_indexed_proxy():
    # 100 in 2020 prices, index 100.0 in 2020 and 117.3 in 2024: 117.30 in 2024 prices.
    series = {2020: D("100.0"), 2024: D("117.3")}
    assert money(sroi.indexed_proxy(D(100), 2020, 2024, series)) == D("117.30")
    assert sroi.indexed_proxy(D(100), 2024, 2024, {}) == D(100)
    with pytest.raises(sroi.InvalidInput) as error:
        sroi.indexed_proxy(D(100), 2019, 2024, series)
    assert error.value.field == "proxy_year"


@pytest.mark.parametrize(
    "inputs",
    [
        (InputItem(amount=D(-1)),),
        (InputItem(amount=D(1), year=0),),
        (InputItem(amount=D(1), year=sroi.MAX_YEARS + 1),),
    ],
)
def test_bad_inputs_are_refused(inputs):
    outcome = Outcome(key="a", stakeholder="s", quantity=D(1), proxy=D(1))
    with pytest.raises(sroi.InvalidInput) as error:
        calculate(Analysis(outcomes=(outcome,), inputs=inputs))
    assert error.value.field == "inputs"


def test_a_total_and_inputs_one_by_one_are_not_both_accepted():
    outcome = Outcome(key="a", stakeholder="s", quantity=D(1), proxy=D(1))
    with pytest.raises(sroi.InvalidInput):
        calculate(Analysis(outcomes=(outcome,), total_inputs=D(1), inputs=(InputItem(D(1)),)))


def test_sensitivity_of_a_loss_lowers_value_with_a_larger_loss():
    result = calculate(_loss_map())
    for item in result.sensitivity.items:
        assert item.present_value_low <= item.present_value_high, item


# --- Properties -----------------------------------------------------------------------------

amount = st.decimals(min_value=0, max_value=100_000, places=2)
outcome = st.builds(
    Outcome,
    key=st.uuids().map(str),
    stakeholder=st.sampled_from(["a", "b"]),
    quantity=st.decimals(min_value=D("0.01"), max_value=1000, places=2),
    proxy=st.decimals(min_value=D("0.01"), max_value=10_000, places=2),
    duration=st.integers(1, 5),
    deadweight=st.decimals(min_value=0, max_value=90, places=2),
    negative=st.booleans(),
)
input_items = st.lists(
    st.builds(
        InputItem,
        amount=st.decimals(min_value=D("0.01"), max_value=100_000, places=2),
        year=st.integers(1, 3),
        funder=st.sampled_from(["", "f1", "f2"]),
    ),
    min_size=1,
    max_size=4,
)


def _close(a, b):
    """Equal to 18 significant digits (the sums run at 28 outside the calculation)."""
    return abs(a - b) <= D("1e-18") * max(D(1), abs(a), abs(b))


@settings(max_examples=examples(100), deadline=None)
@given(outcomes=st.lists(outcome, min_size=1, max_size=5), items=input_items)
@example(  # a huge ratio: the sum of the stakeholder ratios differed in the 28th digit
    outcomes=[
        Outcome(
            key="k",
            stakeholder="a",
            quantity=D("583.04"),
            proxy=D("593.00"),
            duration=5,
            deadweight=D("20.21"),
        )
    ],
    items=[InputItem(amount=D("0.01"))],
)
def test_stakeholder_ratios_sum_to_the_ratio_and_funder_shares_to_one(outcomes, items):
    result = calculate(Analysis(outcomes=tuple(outcomes), inputs=tuple(items), activity_years=3))
    assert _close(sum(result.stakeholder_ratios.values()), result.ratio)
    if result.funders:
        assert _close(sum(f.share for f in result.funders), D(1))
        assert _close(sum(f.value for f in result.funders), result.total_present_value)


@settings(max_examples=examples(100), deadline=None)
@given(outcomes=st.lists(outcome, min_size=1, max_size=5), items=input_items)
@example(
    outcomes=[Outcome(key="k", stakeholder="a", quantity=D(10), proxy=D(1000))],
    items=[InputItem(amount=D(3000))],
)
def test_break_even_quantities_give_exactly_one_to_one(outcomes, items):
    analysis = Analysis(outcomes=tuple(outcomes), inputs=tuple(items), activity_years=3)
    result = calculate(analysis)
    for index, row in enumerate(result.outcomes):
        if row.break_even_quantity is None or row.break_even_quantity == 0:
            continue
        changed = list(outcomes)
        changed[index] = sroi.replace(outcomes[index], quantity=row.break_even_quantity)
        back = calculate(Analysis(outcomes=tuple(changed), inputs=tuple(items), activity_years=3))
        assert _close(back.ratio, D(1))
