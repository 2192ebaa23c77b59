"""SROI as practitioners do it, through the editor and the report: negative outcomes, inputs by
year, ratios per stakeholder and funder, break-even, payback in months, and the cluster page
saying whether its present values share a base year. (The arithmetic: test_sroi_practice.py.)"""

from decimal import Decimal

import pytest
from django.urls import reverse

from impact import services
from impact.models import ImpactMap, Input, Outcome
from impact.report import build_report
from impact.selectors import impact_map_get
from tests.impact.helpers import Team, build_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return Team()


def _report(project, kind="forecast"):
    return build_report(impact_map_get(project, kind))


def _inputs_url(project, kind="forecast"):
    return reverse("portal:impact_inputs", args=[project.pk, kind])


def _rows(*rows):
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{index}-{key}"] = value
    return data


def _money_input(description, amount, year, contributor):
    return {
        "kind": "money",
        "description": description,
        "amount": amount,
        "hours": "",
        "year": year,
        "organization": "",
        "contributor_name": contributor,
    }


def test_inputs_over_the_years_are_discounted_and_credited_to_their_funders(client, team):
    build_map(team.project, team.coordinator, inputs=None, outcomes=1, period_years=3)
    client.force_login(team.coordinator)
    response = client.post(
        _inputs_url(team.project),
        _rows(
            _money_input("Year one grant", "10000", "1", "Fundació Arrel"),
            _money_input("Year two grant", "10350", "2", "Ajuntament"),
        ),
    )
    assert response.status_code == 302
    report = _report(team.project)
    summary = report["summary"]
    # 10,350 spent in year 2 is discounted once at 3.5 %: 10,000. 10,000 + 10,000 = 20,000.
    assert summary["total_inputs"] == "20000.00"
    assert summary["total_inputs_undiscounted"] == "20350.00"
    assert summary["inputs_by_year"] == [
        {"year": 2025, "amount": "10000.00"},
        {"year": 2026, "amount": "10350.00"},
    ]
    assert [(f["funder"], f["share"]) for f in report["funders"]] == [
        ("Fundació Arrel", "0.50"),
        ("Ajuntament", "0.50"),
    ]
    assert [i["year"] for i in report["inputs"]] == [2025, 2026]


def test_an_input_after_the_analysis_period_is_refused_and_nothing_saved(client, team):
    build_map(team.project, team.coordinator, inputs=None, outcomes=1, period_years=2)
    client.force_login(team.coordinator)
    response = client.post(
        _inputs_url(team.project), _rows(_money_input("Late grant", "500", "3", "Someone"))
    )
    assert response.status_code == 200
    assert "choose a year between 1 and 2" in response.content.decode()
    assert not Input.objects.exists()


def test_a_negative_outcome_is_published_as_a_loss(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=2)
    young, mentors = impact_map.stakeholders.order_by("pk")
    loss = Outcome(
        stakeholder=mentors,
        description="Less time for their own studies",
        indicator="Hours of study lost",
        quantity=Decimal(10),
        proxy_value=Decimal(100),
        proxy_source="Tutoring rate",
        negative=True,
    )
    services.impact_rows_save(impact_map=impact_map, user=team.coordinator, rows=[loss])
    report = _report(team.project)
    before = report["summary"]
    services.impact_map_publish(impact_map=impact_map, user=team.coordinator)

    response = client.get(reverse("impact:report", args=[team.project.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-negative" in html
    assert "negative outcomes (losses), counted against the total" in html
    assert before["negative_present_value"] == "-966.18"  # 1,000 in year 1, / 1.035
    [row] = [o for o in report["outcomes"] if o["negative"]]
    assert row["present_value"] == "-966.18"
    ratios = [Decimal(s["ratio"]) for s in report["stakeholders"]]
    assert abs(sum(ratios) - Decimal(before["sroi_ratio"])) <= Decimal("0.01")


def test_break_even_and_payback_in_months_are_on_the_public_report(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=3, publish=True)
    report = impact_map.published_report
    assert report["summary"]["payback_months"] is not None
    assert report["summary"]["break_even_share"] is not None
    html = client.get(reverse("impact:report", args=[team.project.pk])).content.decode()
    assert "months to pay back" in html
    assert "break-even" in html
    assert "Break-even quantity" in html


def test_a_report_published_before_keeps_its_figures(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=2, publish=True)
    old = dict(impact_map.published_report)
    # A report frozen under schema 1 has none of the new keys.
    old["schema_version"] = 1
    old["summary"] = {
        k: v
        for k, v in old["summary"].items()
        if k
        not in (
            "payback_months",
            "total_inputs_undiscounted",
            "inputs_by_year",
            "positive_present_value",
            "negative_present_value",
            "break_even_share",
        )
    }
    old.pop("funders")
    old["summary"]["total_present_value"] = "12345.67"  # what it said then, whatever now
    ImpactMap.objects.filter(pk=impact_map.pk).update(published_report=old)
    response = client.get(reverse("impact:report", args=[team.project.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "12,345.67" in html
    assert "months to pay back" not in html


def test_the_cluster_page_says_when_base_years_differ(client, team):
    build_map(team.project, team.coordinator, publish=True)
    page = client.get(reverse("impact:cluster")).content.decode()
    assert "so they add like with like" in page
    assert "data-mixed-base-years" not in page

    other = Team()
    build_map(other.project, other.coordinator, publish=True)
    ImpactMap.objects.filter(project=other.project).update(
        published_report={
            **ImpactMap.objects.get(project=other.project).published_report,
            "first_year": 2030,
        }
    )
    response = client.get(reverse("impact:cluster"))
    [total] = response.context["totals"]
    assert total["base_years"] == [2024, 2029]
    assert "data-mixed-base-years" in response.content.decode()
