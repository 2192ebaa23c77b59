"""Proxies valued in one year's prices, brought to the first year of the analysis with a price
index that editors keep as data; the report shows what it takes to reproduce the figure."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from impact import services
from impact.models import ImpactMap, Outcome, PriceIndex, PriceIndexValue
from impact.report import build_report
from impact.selectors import impact_map_get
from tests.impact.helpers import Team, build_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return Team()


@pytest.fixture
def cpi():
    index = PriceIndex.objects.create(
        name="Consumer price index", source="Statistics office", source_url="https://example.org"
    )
    for year, value in ((2020, "100"), (2023, "110"), (2025, "115")):
        PriceIndexValue.objects.create(index=index, year=year, value=Decimal(value))
    return index


def _one_outcome_map(team, **outcome_fields):
    impact_map = build_map(team.project, team.coordinator, outcomes=0)  # first year 2025
    stakeholder = impact_map.stakeholders.order_by("pk").first()
    outcome = Outcome(
        stakeholder=stakeholder,
        description="Find a job",
        indicator="In work",
        quantity=Decimal(1),
        duration_years=1,
        proxy_value=Decimal("1000.00"),
        proxy_source="A study",
        **outcome_fields,
    )
    services.impact_rows_save(impact_map=impact_map, user=team.coordinator, rows=[outcome])
    return impact_map


def test_a_proxy_of_older_prices_is_indexed_to_the_first_year(team, cpi):
    _one_outcome_map(team, proxy_year=2020, price_index=cpi)
    report = build_report(impact_map_get(team.project, "forecast"))
    (row,) = report["outcomes"]
    # 1,000 in 2020 prices × 115 ÷ 100 = 1,150 in 2025 prices; year 1 discounted by 1.035.
    assert row["proxy"]["value"] == "1000.00"
    assert row["proxy"]["value_used"] == "1150.00"
    assert row["impact_first_year"] == "1150.00"
    assert row["present_value"] == "1111.11"
    assert row["proxy"]["indexation"] == {
        "index": "Consumer price index",
        "source": "Statistics office",
        "source_url": "https://example.org",
        "from_year": 2020,
        "from_value": "100.0000",
        "to_year": 2025,
        "to_value": "115.0000",
    }


def test_without_an_index_or_in_the_same_year_the_proxy_is_used_as_entered(team, cpi):
    _one_outcome_map(team, proxy_year=2020)
    (row,) = build_report(impact_map_get(team.project, "forecast"))["outcomes"]
    assert row["proxy"]["value_used"] == "1000.00" and row["proxy"]["indexation"] is None
    team2 = Team()
    _one_outcome_map(team2, proxy_year=2025, price_index=cpi)
    (row,) = build_report(impact_map_get(team2.project, "forecast"))["outcomes"]
    assert row["proxy"]["value_used"] == "1000.00" and row["proxy"]["indexation"] is None


def test_an_index_without_the_years_is_refused_and_nothing_saved(team, cpi):
    impact_map = build_map(team.project, team.coordinator, outcomes=0)
    stakeholder = impact_map.stakeholders.first()
    outcome = Outcome(
        stakeholder=stakeholder,
        description="Find a job",
        indicator="In work",
        quantity=Decimal(1),
        duration_years=1,
        proxy_value=Decimal("1000.00"),
        proxy_source="A study",
        proxy_year=2019,
        price_index=cpi,
    )
    with pytest.raises(ValidationError) as refused:
        services.impact_rows_save(impact_map=impact_map, user=team.coordinator, rows=[outcome])
    assert "has no value for 2019" in str(refused.value)
    outcome.proxy_year = None
    with pytest.raises(ValidationError) as refused:
        services.impact_rows_save(impact_map=impact_map, user=team.coordinator, rows=[outcome])
    assert "year of the proxy's prices" in str(refused.value)
    assert not Outcome.objects.filter(stakeholder__impact_map=impact_map).exists()


def test_the_public_report_shows_the_indexation(client, team, cpi):
    impact_map = _one_outcome_map(team, proxy_year=2020, price_index=cpi)
    services.impact_map_publish(impact_map=impact_map, user=team.coordinator)
    html = client.get(reverse("impact:report", args=[team.project.pk])).content.decode()
    assert "data-indexation" in html
    assert "Consumer price index" in html
    assert "1,150.00" in html


def test_editing_the_index_later_does_not_change_a_published_report(client, team, cpi):
    impact_map = _one_outcome_map(team, proxy_year=2020, price_index=cpi)
    services.impact_map_publish(impact_map=impact_map, user=team.coordinator)
    PriceIndexValue.objects.filter(index=cpi, year=2025).update(value=Decimal("130"))
    published = ImpactMap.objects.get(pk=impact_map.pk).published_report
    assert published["outcomes"][0]["proxy"]["value_used"] == "1150.00"
    (row,) = build_report(impact_map_get(team.project, "forecast"))["outcomes"]
    assert row["proxy"]["value_used"] == "1300.00"  # the next publication uses the new value


def test_choosing_a_library_proxy_takes_its_year(team):
    from tests.impact.helpers import make_proxy

    proxy = make_proxy()  # 2024 prices
    impact_map = build_map(team.project, team.coordinator, outcomes=0)
    outcome = Outcome(
        stakeholder=impact_map.stakeholders.first(),
        description="Find a job",
        indicator="In work",
        quantity=Decimal(1),
        duration_years=1,
        shared_proxy=proxy,
    )
    services.impact_rows_save(impact_map=impact_map, user=team.coordinator, rows=[outcome])
    assert Outcome.objects.get(pk=outcome.pk).proxy_year == 2024


def test_the_report_reads_indices_in_a_fixed_number_of_queries(
    team, cpi, django_assert_max_num_queries
):
    impact_map = build_map(team.project, team.coordinator, outcomes=6)
    Outcome.objects.filter(stakeholder__impact_map=impact_map).update(
        proxy_year=2020, price_index=cpi
    )
    with django_assert_max_num_queries(8):
        report = build_report(impact_map_get(team.project, "forecast"))
    assert all(o["proxy"]["indexation"] for o in report["outcomes"])
