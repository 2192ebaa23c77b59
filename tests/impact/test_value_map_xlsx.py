"""The value map as a spreadsheet: download, dry run, import; bad files refused row by row
with nothing half-imported."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from impact.models import Input, Outcome, Stakeholder
from impact.report import build_report
from impact.selectors import impact_map_get
from impact.spreadsheet import INPUT_COLUMNS, OUTCOME_COLUMNS
from tests.impact.helpers import Team, build_map

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return Team()


def xlsx_url(project, kind="forecast"):
    return reverse("portal:impact_xlsx", args=[project.pk, kind])


def import_url(project, kind="forecast"):
    return reverse("portal:impact_import", args=[project.pk, kind])


def upload(content, name="map.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def workbook_bytes(outcome_rows, input_rows=None, outcome_headers=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "Value map"
    sheet.append(outcome_headers or [header for _k, header, _r in OUTCOME_COLUMNS])
    for row in outcome_rows:
        sheet.append(row)
    if input_rows is not None:
        inputs = book.create_sheet("Inputs")
        inputs.append([header for _k, header, _r in INPUT_COLUMNS])
        for row in input_rows:
            inputs.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def outcome_row(**change):
    values = {
        "stakeholder": "Young people",
        "stakeholder_number": 20,
        "description": "Find a job",
        "indicator": "In work after six months",
        "indicator_source": "Survey",
        "quantity": 10,
        "duration_years": 2,
        "starts": "during",
        "proxy_description": "Earnings",
        "proxy_value": 1500.5,
        "proxy_source": "INE 2024",
        "deadweight": 10,
        "displacement": 0,
        "attribution": 20,
        "drop_off": 30,
        "negative": "no",
        "deadweight_justification": "Some would find one anyway.",
        "displacement_justification": "",
        "attribution_justification": "Others helped.",
        "drop_off_justification": "It fades.",
    }
    values.update(change)
    return [values.get(key) for key, _h, _r in OUTCOME_COLUMNS]


def counts():
    return Stakeholder.objects.count(), Outcome.objects.count(), Input.objects.count()


def test_round_trip_gives_the_same_map_and_figures(client, team):
    source = build_map(team.project, team.coordinator, outcomes=4)
    Outcome.objects.filter(pk=source.stakeholders.first().outcomes.first().pk).update(
        negative=True, proxy_year=2023
    )
    client.force_login(team.member)  # the team reads the map, so may download it
    response = client.get(xlsx_url(team.project))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = response.content

    other = Team()
    build_map(other.project, other.coordinator, outcomes=0, inputs=None)
    client.force_login(other.coordinator)
    dry_run = client.post(import_url(other.project), {"file": upload(content)})
    assert dry_run.status_code == 200
    assert dry_run.context["parsed"].ok
    assert Outcome.objects.filter(stakeholder__impact_map__project=other.project).count() == 0
    done = client.post(import_url(other.project), {"confirm": "1"})
    assert done.status_code == 302

    before = build_report(impact_map_get(team.project, "forecast"))
    after = build_report(impact_map_get(other.project, "forecast"))
    for key in ("total_present_value", "total_inputs", "sroi_ratio", "negative_present_value"):
        assert after["summary"][key] == before["summary"][key], key
    assert [o["proxy"]["year"] for o in after["outcomes"]] == [
        o["proxy"]["year"] for o in before["outcomes"]
    ]
    assert 2023 in [o["proxy"]["year"] for o in after["outcomes"]]
    strip = ("id", "stakeholder_id", "first_year", "values_by_year", "proxy")
    assert [{k: v for k, v in o.items() if k not in strip} for o in after["outcomes"]] == [
        {k: v for k, v in o.items() if k not in strip} for o in before["outcomes"]
    ]


def test_a_formula_looking_text_is_written_as_text(client, team):
    impact_map = build_map(team.project, team.coordinator, outcomes=1)
    Outcome.objects.filter(stakeholder__impact_map=impact_map).update(
        description='=HYPERLINK("http://x")'
    )
    client.force_login(team.coordinator)
    book = load_workbook(io.BytesIO(client.get(xlsx_url(team.project)).content))
    cell = book["Value map"]["C2"]
    assert cell.data_type != "f"
    assert cell.value == '\'=HYPERLINK("http://x")'


def test_bad_rows_are_listed_with_their_reason_and_nothing_is_imported(client, team):
    build_map(team.project, team.coordinator, outcomes=0, inputs=None, period_years=2)
    client.force_login(team.coordinator)
    before = counts()
    content = workbook_bytes(
        [
            outcome_row(),
            outcome_row(quantity="ten"),  # text in a number cell
            outcome_row(deadweight=150),
            outcome_row(proxy_value="=B2*3"),  # a formula
            outcome_row(negative="perhaps"),
        ],
        input_rows=[["Grant", "money", "City council", 3, 1000, None]],  # year 3 of 2
    )
    response = client.post(import_url(team.project), {"file": upload(content)})
    parsed = response.context["parsed"]
    assert not parsed.ok
    problems = {(p.sheet, p.row): p.message for p in parsed.problems}
    assert "must be a number" in problems[("Value map", 3)]
    assert "between 0 and 100" in problems[("Value map", 4)]
    assert "formula" in problems[("Value map", 5)]
    assert "yes or no" in problems[("Value map", 6)]
    assert "between 1 and 2" in problems[("Inputs", 2)]
    assert response.content.decode().count("data-problem") == 5
    # No confirmation is offered, and a forged one has nothing to import.
    assert 'name="confirm"' not in response.content.decode()
    client.post(import_url(team.project), {"confirm": "1"})
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (workbook_bytes([outcome_row()], outcome_headers=["Stakeholders", "Indicator"]), "lacks"),
        (b"not a spreadsheet at all", "not a spreadsheet"),
        (workbook_bytes([]), "no rows"),
    ],
)
def test_bad_files_are_refused_whole(client, team, content, message):
    build_map(team.project, team.coordinator, outcomes=0, inputs=None)
    client.force_login(team.coordinator)
    before = counts()
    response = client.post(import_url(team.project), {"file": upload(content)})
    assert message in response.context["parsed"].file_problem
    assert counts() == before


def test_ten_thousand_rows_are_refused(client, team):
    build_map(team.project, team.coordinator, outcomes=0, inputs=None)
    client.force_login(team.coordinator)
    before = counts()
    content = workbook_bytes([outcome_row(description=f"Outcome {n}") for n in range(10_000)])
    response = client.post(import_url(team.project), {"file": upload(content)})
    assert "more than 500 rows" in response.context["parsed"].file_problem
    assert counts() == before


def test_a_file_that_is_not_xlsx_by_name_is_refused_by_the_form(client, team):
    build_map(team.project, team.coordinator, outcomes=0, inputs=None)
    client.force_login(team.coordinator)
    response = client.post(
        import_url(team.project), {"file": upload(workbook_bytes([outcome_row()]), "map.csv")}
    )
    assert response.status_code == 200
    assert "Upload an .xlsx spreadsheet." in response.content.decode()
    assert response.context["parsed"] is None


def test_import_creates_new_stakeholders_and_reuses_existing_ones(client, team):
    build_map(team.project, team.coordinator, outcomes=0, inputs=None)  # has "Young people"
    client.force_login(team.coordinator)
    content = workbook_bytes(
        [outcome_row(), outcome_row(stakeholder="Families", negative="yes", quantity=3)],
        input_rows=[["Grant", "money", "City council", 1, "2500,50", None]],
    )
    response = client.post(import_url(team.project), {"file": upload(content)})
    assert response.context["new_stakeholders"] == ["Families"]
    client.post(import_url(team.project), {"confirm": "1"})
    impact_map = impact_map_get(team.project, "forecast")
    assert sorted(s.name for s in impact_map.stakeholders.all()) == [
        "Families",
        "Mentors",
        "Young people",
    ]
    assert Outcome.objects.get(stakeholder__name="Families").negative is True
    assert Input.objects.get().amount == Decimal("2500.50")


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 404)])
def test_only_coordinators_import(client, team, who, status):
    build_map(team.project, team.coordinator, outcomes=0, inputs=None)
    client.force_login(getattr(team, who))
    response = client.post(
        import_url(team.project), {"file": upload(workbook_bytes([outcome_row()]))}
    )
    assert response.status_code == status
    assert Outcome.objects.count() == 0


def test_outsiders_and_visitors_cannot_download(client, team):
    build_map(team.project, team.coordinator, outcomes=1)
    assert client.get(xlsx_url(team.project)).status_code == 302  # to sign in
    client.force_login(team.outsider)
    assert client.get(xlsx_url(team.project)).status_code == 404


@pytest.mark.parametrize(
    ("starts", "negative", "kind", "expected"),
    [
        ("durante", "sí", "dinero", ("during", True, "money")),
        ("Després", "no", "En espècie", ("after", False, "in_kind")),
        ("After the activity", "yes", "Volunteer hours", ("after", True, "volunteer_hours")),
        (
            "Después de la actividad",
            "Verdadero",
            "Horas de voluntariado",
            ("after", True, "volunteer_hours"),
        ),
        ("durant", "fals", "hores  de voluntariat", ("during", False, "volunteer_hours")),
    ],
)
def test_cells_may_be_written_in_spanish_or_catalan(starts, negative, kind, expected):
    from impact.spreadsheet import read_value_map

    hours = 10 if expected[2] == "volunteer_hours" else None
    amount = None if hours else 500
    parsed = read_value_map(
        upload(
            workbook_bytes(
                [outcome_row(starts=starts, negative=negative)],
                input_rows=[["Help", kind, "Veïns", 1, amount, hours]],
            )
        ),
        period_years=2,
    )
    assert parsed.problems == []
    (outcome,) = parsed.outcomes
    (row,) = parsed.inputs
    assert (outcome["starts"], outcome["negative"], row["kind"]) == expected


def test_a_word_in_no_language_is_still_refused():
    from impact.spreadsheet import read_value_map

    parsed = read_value_map(
        upload(
            workbook_bytes(
                [outcome_row(starts="someday")],
                input_rows=[["Help", "favours", "Veïns", 1, 500, None]],
            )
        ),
        period_years=2,
    )
    messages = sorted(p.message for p in parsed.problems)
    assert any("during or after" in m for m in messages)
    assert any("money, in_kind or volunteer_hours" in m for m in messages)
    assert parsed.outcomes == [] and parsed.inputs == []


def test_a_proxy_year_out_of_range_is_refused_with_its_row():
    from impact.spreadsheet import read_value_map

    parsed = read_value_map(upload(workbook_bytes([outcome_row(proxy_year=1800)])))
    (problem,) = parsed.problems
    assert (problem.row, "between 1990 and 2100" in problem.message) == (2, True)
