"""The project directory at /projects/: filters, search, pagination and open-data exports."""

import csv
import io
import json

import pytest

from projects.directory import FIELDS, project_directory, project_directory_queryset
from projects.services import project_propose
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.projects.builders import add_partner, published_project
from tests.utils import approved_organization, rolled_back, vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield _catalogue()


def _catalogue():
    vocabulary("mentoring", "funding", "volunteers")
    sdg = {s.number: s for s in SustainableDevelopmentGoal.objects.all()}
    bcn = Region.objects.create(name="Barcelonès", slug="barcelones")
    gir = Region.objects.create(name="Gironès", slug="girones")
    education = Sector.objects.create(name="Education", slug="education")
    housing = Sector.objects.create(name="Housing", slug="housing")
    community = Sector.objects.create(name="Community", slug="community")
    clara, jan = UserFactory(username="clara"), UserFactory(username="jan")
    l1 = approved_organization(admin=clara, title="Fundació Pas a Pas")
    l2 = approved_organization(admin=jan, title="Habitatge Digne")
    coding = published_project(
        clara,
        l1,
        title="Coding club",
        summary="After-school programming for teenagers",
        status="active",
        sdgs=[sdg[4]],
        region=bcn,
        sectors=[education],
        needs=["mentoring"],
        start_date="2026-01-01",
    )
    housing_first = published_project(
        jan,
        l2,
        title="Housing first",
        summary="Homes before anything else",
        status="forming",
        sdgs=[sdg[1], sdg[11]],
        region=gir,
        sectors=[housing],
        needs=["funding"],
    )
    repair = published_project(
        clara,
        l1,
        title="Repair cafés",
        summary="Neighbours fix things together",
        status="idea",
        sdgs=[sdg[12]],
        region=bcn,
        sectors=[community],
        needs=["volunteers", "mentoring"],
    )
    add_partner(coding, l2, clara)
    draft = project_propose(
        user=clara,
        lead_organization=l1,
        title="Secret coding draft",
        status="active",
        sdgs=[sdg[4]],
        region=bcn,
        needs=["mentoring"],
    )
    return {
        "coding": coding,
        "housing": housing_first,
        "repair": repair,
        "draft": draft,
        "l1": l1,
        "l2": l2,
    }


def titles(params):
    return sorted(p.title for p in project_directory_queryset(params))


ALL = ["Coding club", "Housing first", "Repair cafés"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"status": ["active"]}, ["Coding club"]),
        ({"status": ["active", "forming"]}, ["Coding club", "Housing first"]),
        ({"sdg": ["4"]}, ["Coding club"]),
        ({"sdg": ["1", "12"]}, ["Housing first", "Repair cafés"]),
        ({"region": ["barcelones"]}, ["Coding club", "Repair cafés"]),
        ({"sector": ["housing"]}, ["Housing first"]),
        ({"sector": ["housing", "community"]}, ["Housing first", "Repair cafés"]),
        ({"need": ["mentoring"]}, ["Coding club", "Repair cafés"]),
        ({"need": ["funding", "volunteers"]}, ["Housing first", "Repair cafés"]),
        # AND across facets
        ({"region": ["barcelones"], "need": ["mentoring"], "status": ["idea"]}, ["Repair cafés"]),
        ({"sdg": ["4"], "sector": ["housing"]}, []),
        # malformed values are ignored, not errors
        ({"sdg": ["abc"], "status": ["dreaming"], "lead": ["x"]}, ALL),
    ],
)
def test_filters(catalogue, params, expected):
    assert titles(params) == expected


def test_filter_by_lead_organization(catalogue):
    assert titles({"lead": [str(catalogue["l1"].pk)]}) == ["Coding club", "Repair cafés"]
    assert titles({"lead": [str(catalogue["l1"].pk), str(catalogue["l2"].pk)]}) == ALL


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("coding", ["Coding club"]),  # title; the draft with the same word stays hidden
        ("programming", ["Coding club"]),  # summary
        ("volunteers", ["Repair cafés"]),  # a need tag
        ("Habitatge", ["Housing first"]),  # the lead organization's name
        ("nothing-like-this", []),
    ],
)
def test_search(catalogue, query, expected):
    assert titles({"q": query}) == expected


def test_search_and_filters_combine(catalogue):
    assert titles({"q": "coding", "region": ["girones"]}) == []
    assert titles({"q": "neighbours", "need": ["mentoring"]}) == ["Repair cafés"]


def test_directory_page_is_get_shareable(client, catalogue):
    response = client.get("/projects/?need=mentoring&region=barcelones&q=club")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Coding club" in html and "Repair cafés" not in html
    directory = response.context["directory"]
    assert directory.selected["need"] == ["mentoring"]
    assert directory.querystring == "q=club&region=barcelones&need=mentoring"
    assert 'value="mentoring" id="f-need-mentoring" checked' in html
    assert "?q=club&amp;region=barcelones&amp;need=mentoring&amp;format=csv" in html


def test_directory_facets_list_what_published_projects_use(catalogue):
    directory = project_directory({})
    assert [t.name for t in directory.needs] == ["funding", "mentoring", "volunteers"]
    assert {t.name: t.uses for t in directory.needs}["mentoring"] == 2
    assert [r.slug for r in directory.regions] == ["barcelones", "girones"]
    assert [o.title for o in directory.leads] == ["Fundació Pas a Pas", "Habitatge Digne"]


def test_pagination_keeps_the_filters(catalogue):
    directory = project_directory({"region": ["barcelones"]}, page_size=1)
    assert directory.page.paginator.count == 2
    assert directory.page.has_next()
    second = project_directory({"region": ["barcelones"], "page": "2"}, page_size=1)
    assert len(second.page.object_list) == 1
    beyond = project_directory({"region": ["barcelones"], "page": "99"}, page_size=1)
    assert beyond.page.number == 2


def test_json_export_has_public_fields_of_published_projects_only(client, catalogue):
    response = client.get("/projects/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["count"] == 3
    assert data["fields"] == list(FIELDS)
    by_title = {r["title"]: r for r in data["results"]}
    assert sorted(by_title) == ALL
    coding = by_title["Coding club"]
    assert set(coding) == set(FIELDS)
    assert coding["id"] == catalogue["coding"].pk
    assert coding["url"] == "http://localhost/projects/coding-club/"
    assert coding["status"] == "active"
    assert coding["summary"] == "After-school programming for teenagers"
    assert coding["lead_organization"] == "Fundació Pas a Pas"
    assert coding["lead_organization_url"] == "http://localhost/partners/fundacio-pas-a-pas/"
    assert coding["partners"] == ["Habitatge Digne"]
    assert coding["region"] == "Barcelonès"
    assert coding["sectors"] == ["Education"]
    assert coding["sdgs"] == [4]
    assert coding["needs"] == ["mentoring"]
    assert coding["start_date"] == "2026-01-01"
    assert coding["end_date"] is None
    assert coding["first_published_at"]
    text = response.content.decode()
    for private in ("Secret coding draft", "clara", "proposer", "team", "@example.org"):
        assert private not in text


def test_csv_export_applies_the_same_filters(client, catalogue):
    response = client.get("/projects/?format=csv&need=mentoring&status=active")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(FIELDS)
    assert [row[1] for row in rows[1:]] == ["Coding club"]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["partners"] == "Habitatge Digne"
    assert record["sdgs"] == "4"


def test_csv_export_defuses_formulas(client, catalogue):
    clara = UserFactory()
    lead = approved_organization(admin=clara)
    published_project(clara, lead, title='=HYPERLINK("http://x")', summary="-1+2")
    response = client.get("/projects/?format=csv&q=HYPERLINK")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][1].startswith("'=")
    assert rows[1][4] == "'-1+2"


def _csv_records(response):
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_export_starts_with_a_bom_for_spreadsheets(client, catalogue):
    response = client.get("/projects/?format=csv")
    assert response.content.startswith("\ufeffid,title,".encode())


def test_csv_export_defuses_formulas_in_every_column_lists_included(client, catalogue):
    from partners.models import PartnerPage
    from projects.models import ProjectPage

    clara = UserFactory()
    lead = approved_organization(admin=clara, title="Entitat Neta")
    partner = approved_organization(title="Entitat Sòcia")
    sector = Sector.objects.create(name="+SUM(1,1)", slug="formula-sector")
    project = published_project(
        clara, lead, title="Formula project", sectors=[sector], needs=["=cmd|' /C calc'!A0"]
    )
    add_partner(project, partner, clara)
    # Renamed afterwards (in the admin, or before any validation existed): the export defuses
    # whatever is stored.
    PartnerPage.objects.filter(pk=lead.pk).update(title='=HYPERLINK("http://evil.example")')
    PartnerPage.objects.filter(pk=partner.pk).update(title='=HYPERLINK("http://partner.example")')
    ProjectPage.objects.filter(pk=project.pk).update(summary="\tcmd", title="\r=1+1")
    response = client.get("/projects/?format=csv&sector=formula-sector")
    [record] = _csv_records(response)
    assert record["lead_organization"] == """'=HYPERLINK("http://evil.example")"""
    assert record["partners"] == """'=HYPERLINK("http://partner.example")"""
    assert record["sectors"] == "'+SUM(1,1)"
    assert record["needs"] == "'=cmd|' /C calc'!A0"
    assert record["summary"] == "'\tcmd"
    assert record["title"] == "'\r=1+1"


def test_csv_export_defuses_a_formula_later_in_a_list(client, catalogue):
    clara = UserFactory()
    lead = approved_organization(admin=clara)
    vocabulary("aaa first")  # an approved tag: a proposed one is no filter
    published_project(clara, lead, title="Two needs", needs=["aaa first", "-2+3"])
    [record] = _csv_records(client.get("/projects/?format=csv&need=aaa-first"))
    assert record["needs"] == "aaa first; '-2+3"


def test_unknown_export_format_is_refused_with_a_clear_message(client, catalogue):
    response = client.get("/projects/?format=xml&status=active")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "xml" in response.content.decode() and "csv, json" in response.content.decode()
    assert client.get("/projects/?format=").status_code == 200
