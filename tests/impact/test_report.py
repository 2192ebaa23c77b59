"""The public impact report, its downloads, and the cluster-wide impact page."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from impact import services
from impact.models import ImpactMap
from impact.presentation import format_money
from impact.report import parse_csv_sections
from projects.services import project_propose
from taxonomy.models import SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.home.builders import many_published_projects
from tests.impact.helpers import build_map
from tests.utils import approved_organization, approved_project

pytestmark = pytest.mark.django_db

SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "impact-report-schema.md"


def report_url(project):
    return reverse("impact:report", args=[project.pk])


def download_url(project, kind, fmt):
    return reverse("impact:report_download", args=[project.pk, kind, fmt])


def test_anyone_reads_a_published_report_with_every_assumption(client, team):
    build_map(team.project, team.coordinator, outcomes=3, publish=True)
    response = client.get(report_url(team.project))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Outcome 0",
        "Indicator 1",
        "Source 2",  # every proxy's source
        "Some would have happened anyway.",  # every justification
        "Others helped.",
        "It fades.",
        "City council",  # who contributed the inputs
        "Ratios are not comparable across projects without that",
        "sensitivity range",
        "The assumption that moves the result most",
    ):
        assert text in html, text
    # Three charts drawn on the server: by stakeholder, by year, tornado.
    assert html.count('<svg class="chart-svg"') == 3
    assert "<script" not in html.split("<main", 1)[1]
    assert download_url(team.project, "forecast", "csv") in html
    assert download_url(team.project, "forecast", "json") in html


def test_unpublished_maps_and_draft_projects_have_no_public_report(client, team):
    impact_map = build_map(team.project, team.coordinator)
    assert client.get(report_url(team.project)).status_code == 404
    assert client.get(download_url(team.project, "forecast", "json")).status_code == 404

    coordinator = UserFactory()
    draft = project_propose(
        user=coordinator, lead_organization=approved_organization(admin=coordinator), title="Draft"
    )
    build_map(draft, coordinator, publish=True)
    assert not draft.live
    assert client.get(report_url(draft)).status_code == 404
    assert client.get(download_url(draft, "forecast", "csv")).status_code == 404

    services.impact_map_publish(impact_map=impact_map, user=team.coordinator)
    assert client.get(report_url(team.project)).status_code == 200
    assert client.get(download_url(team.project, "evaluative", "csv")).status_code == 404
    assert client.get(reverse("impact:report", args=[999999])).status_code == 404


def test_page_csv_and_json_agree_to_the_cent(client, team):
    build_map(team.project, team.coordinator, outcomes=7, publish=True)
    html = client.get(report_url(team.project)).content.decode()
    data = json.loads(client.get(download_url(team.project, "forecast", "json")).content)
    csv_response = client.get(download_url(team.project, "forecast", "csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    sections = parse_csv_sections(csv_response.content.decode())

    summary = {row["metric"]: row["value"] for row in sections["summary"]}
    for key in (
        "total_inputs",
        "total_present_value",
        "net_present_value",
        "sroi_ratio",
        "net_sroi_ratio",
        "payback_years",
    ):
        assert summary[key] == data["summary"][key], key
        assert re.fullmatch(r"-?\d+\.\d\d", data["summary"][key])  # to the cent
    for key in ("ratio_low", "ratio_high", "scenario_ratio_low", "scenario_ratio_high"):
        assert (
            summary[f"sensitivity_{key}" if "scenario" not in key else key]
            == (data["sensitivity"][key])
        )
    assert len(sections["outcomes"]) == len(data["outcomes"]) == 7
    for row, outcome in zip(sections["outcomes"], data["outcomes"], strict=True):
        assert row["outcome"] == outcome["description"]
        assert row["present_value"] == outcome["present_value"]
        assert row["impact_first_year"] == outcome["impact_first_year"]
        assert row["proxy_value"] == outcome["proxy"]["value"]
        # The page shows the same figure, formatted, for the same row.
        assert (
            f'data-value="{outcome["present_value"]}">{format_money(outcome["present_value"])}'
            in html
        )
    for row, year in zip(sections["years"], data["years"], strict=True):
        assert (int(row["year"]), row["present_value"]) == (year["year"], year["present_value"])
        assert f'data-value="{year["present_value"]}"' in html
    assert [row["value"] for row in sections["inputs"]] == [i["value"] for i in data["inputs"]]
    assert f"{format_money(data['summary']['total_present_value'])}</strong>" in html
    assert f"{format_money(data['summary']['sroi_ratio'])} : 1" in html
    assert data["project"]["id"] == team.project.pk
    assert data["schema_version"] == 2


def test_the_json_schema_is_documented():
    doc = SCHEMA_DOC.read_text()
    keys = {
        "schema_version",
        "kind",
        "currency",
        "discount_rate",
        "first_year",
        "period_years",
        "volunteer_hourly_rate",
        "scope",
        "sensitivity_settings",
        "published_at",
        "summary",
        "stakeholders",
        "inputs",
        "outputs",
        "outcomes",
        "years",
        "sensitivity",
        "total_inputs",
        "total_present_value",
        "net_present_value",
        "sroi_ratio",
        "net_sroi_ratio",
        "payback_years",
        "problems",
        "impact_first_year",
        "values_by_year",
        "ratio_low",
        "ratio_high",
        "scenario_ratio_low",
        "most_sensitive",
        "justification",
    }
    missing = {key for key in keys if f"`{key}`" not in doc}
    assert not missing


def test_csv_neutralises_formulas_but_keeps_negative_numbers(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=1, inputs=Decimal("1e6"))
    stakeholder = impact_map.stakeholders.first()
    stakeholder.name = '=HYPERLINK("http://evil")'
    stakeholder.save()
    services.impact_map_publish(impact_map=impact_map, user=team.coordinator)
    text = client.get(download_url(team.project, "forecast", "csv")).content.decode()
    sections = parse_csv_sections(text)
    assert sections["stakeholders"][0]["stakeholder"].startswith("'=")
    npv = {r["metric"]: r["value"] for r in sections["summary"]}["net_present_value"]
    assert npv.startswith("-") and Decimal(npv) < 0


def test_forecast_and_evaluation_side_by_side(client, team):
    build_map(team.project, team.coordinator, kind="forecast", publish=True)
    build_map(team.project, team.coordinator, kind="evaluative", outcomes=2, publish=True)
    response = client.get(report_url(team.project))
    html = response.content.decode()
    assert "Forecast and evaluation side by side" in html
    assert [r["report"]["kind"] for r in response.context["reports"]] == ["forecast", "evaluative"]
    assert 'id="report-forecast"' in html and 'id="report-evaluative"' in html
    assert client.get(download_url(team.project, "evaluative", "json")).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        lambda p: report_url(p),
        lambda p: download_url(p, "forecast", "csv"),
        lambda p: download_url(p, "forecast", "json"),
    ],
    ids=["page", "csv", "json"],
)
def test_report_queries_do_not_grow_with_outcomes(client, django_assert_max_num_queries, path):
    counts = []
    for n in (3, 30):
        coordinator = UserFactory()
        project = approved_project(coordinator=coordinator, title=f"Project with {n}")
        build_map(project, coordinator, outcomes=n, publish=True)
        client.get(path(project))  # the site and locale lookups, cached after the first request
        with django_assert_max_num_queries(5) as captured:
            response = client.get(path(project))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_portal_working_copy_queries_do_not_grow_with_outcomes(
    client, team, django_assert_max_num_queries
):
    counts = []
    for kind, n in (("forecast", 3), ("evaluative", 30)):
        build_map(team.project, team.coordinator, kind=kind, outcomes=n)
        client.force_login(team.coordinator)
        client.get(reverse("portal:impact_map", args=[team.project.pk, kind]))  # caches warm
        # 15 with the inputs and outcome figures other apps offer (resources, training).
        with django_assert_max_num_queries(15) as captured:
            response = client.get(reverse("portal:impact_map", args=[team.project.pk, kind]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- The cluster as a whole -----------------------------------------------------------------


def sdg(number):
    return SustainableDevelopmentGoal.objects.get(number=number)


def test_cluster_page_totals_by_sdg_and_year(client):
    lead_admin = UserFactory()
    lead = approved_organization(admin=lead_admin)
    education = approved_project(
        coordinator=lead_admin, lead=lead, title="Education", sdgs=[sdg(4)]
    )
    work = approved_project(coordinator=lead_admin, lead=lead, title="Work", sdgs=[sdg(4), sdg(8)])
    hidden = approved_project(coordinator=lead_admin, lead=lead, title="Hidden")

    a = build_map(education, lead_admin, publish=True, inputs=Decimal(1000))
    # Both kinds published: the evaluation counts, the forecast does not.
    build_map(work, lead_admin, kind="forecast", publish=True, inputs=Decimal(99999))
    b = build_map(
        work, lead_admin, kind="evaluative", outcomes=2, publish=True, inputs=Decimal(3000)
    )
    build_map(hidden, lead_admin, inputs=Decimal(5000))  # not published

    response = client.get(reverse("impact:cluster"))
    assert response.status_code == 200
    [total] = response.context["totals"]
    ra, rb = a.published_report["summary"], b.published_report["summary"]
    expected_pv = Decimal(ra["total_present_value"]) + Decimal(rb["total_present_value"])
    assert Decimal(total["present_value"]) == expected_pv
    assert Decimal(total["inputs"]) == Decimal(4000)
    assert total["projects"] == 2
    by_sdg = {row["number"]: row for row in total["sdgs"]}
    assert set(by_sdg) == {4, 8}
    assert Decimal(by_sdg[4]["present_value"]) == expected_pv
    assert Decimal(by_sdg[8]["present_value"]) == Decimal(rb["total_present_value"])
    assert by_sdg[4]["projects"] == 2
    years = {row["year"]: row for row in total["years"]}
    assert Decimal(years[2025]["inputs"]) == Decimal(4000)
    assert sum(Decimal(y["present_value"]) for y in total["years"]) == expected_pv
    html = response.content.decode()
    assert escape(format_money(total["present_value"])) in html
    assert "Hidden" not in html
    assert [row["project"].title for row in response.context["rows"]] == ["Education", "Work"]
    assert [row["kind"] for row in response.context["rows"]] == ["forecast", "evaluative"]


def test_cluster_page_without_reports(client):
    response = client.get(reverse("impact:cluster"))
    assert response.status_code == 200
    assert "No project has published an impact report yet." in response.content.decode()


def test_cluster_page_queries_do_not_grow_with_reports(client, django_assert_max_num_queries):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator)
    template = approved_project(coordinator=coordinator, lead=lead, title="Template")
    report = build_map(template, coordinator, publish=True).published_report
    counts = []
    made = 1
    for target in (3, 60):
        while made < target:
            (project,) = many_published_projects(
                1, lead=lead, title=f"P{made}", sdgs=[sdg(made % 17 + 1)]
            )
            # A frozen report is all the page reads: copy it rather than rebuild every map.
            ImpactMap.objects.create(
                project=project, first_year=2025, published=True, published_report=report
            )
            made += 1
        with django_assert_max_num_queries(3) as captured:
            response = client.get(reverse("impact:cluster"))
        assert response.status_code == 200
        assert len(response.context["rows"]) == target
        counts.append(len(captured))
    assert counts[0] == counts[1]
