"""The public API at /api/v2/: published partners, projects and pages, public fields only."""

import pytest
from django.test import Client

from partners.services import organization_apply
from projects.models import ProjectPage
from projects.services import project_propose
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.home.builders import (
    published_projects,
    standard_page,
)
from tests.utils import approved_organization, rolled_back

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """Built once per module (the tests only read it), rolled back at its end."""
    with rolled_back(django_db_blocker):
        yield _build_content()


def _build_content():
    education = Sector.objects.create(name="Education", slug="education")
    health = Sector.objects.create(name="Health", slug="health")
    barcelones = Region.objects.create(name="Barcelonès", slug="barcelones")
    girona = Region.objects.create(name="Gironès", slug="girones")
    goal4 = SustainableDevelopmentGoal.objects.get(number=4)
    goal8 = SustainableDevelopmentGoal.objects.get(number=8)
    admin = UserFactory(email="admin.person@example.org")
    partner = approved_organization(
        admin=admin,
        title="Fundació Pont",
        kind="foundation",
        summary="Bridges between schools and companies.",
        city="Barcelona",
        website="https://pont.example.org",
        contact_email="maria.private@example.org",
        region=barcelones,
        sectors=[education],
        sdgs=[goal4],
        offers=["Mentoring", "classrooms"],
        seeks=["Volunteers"],
    )
    project = published_projects(
        1,
        lead=partner,
        coordinator=admin,
        title="Digital skills",
        summary="Coding clubs for teenagers.",
        status=ProjectPage.Status.ACTIVE,
        region=barcelones,
        sectors=[education],
        sdgs=[goal4, goal8],
        needs=["Laptops", "Mentoring"],
    )[0]
    other = published_projects(
        1, title="Health walks", region=girona, sectors=[health], status="idea"
    )[0]
    about = standard_page("About us", intro="Who we are.")
    draft_project = project_propose(user=admin, lead_organization=partner, title="Draft plan")
    draft_partner = organization_apply(user=UserFactory(), title="Draft org")
    return {
        "partner": partner,
        "project": project,
        "other": other,
        "about": about,
        "draft_project": draft_project,
        "draft_partner": draft_partner,
    }


def _get(path, **params):
    response = Client().get(path, params)
    return response.status_code, response.json()


def test_listing_has_only_published_partners_projects_and_pages(content):
    status, data = _get(API, limit=20)
    assert status == 200
    titles = sorted(item["title"] for item in data["items"])
    assert titles == sorted(
        [
            "Fundació Pont",
            content["other"].lead_organization.title,
            "Digital skills",
            "Health walks",
            "About us",
        ]
    )
    assert data["meta"]["total_count"] == 5


def test_project_detail_field_by_field(content):
    project, partner = content["project"], content["partner"]
    status, data = _get(f"{API}{project.pk}/")
    assert status == 200
    assert set(data) == {
        "id",
        "meta",
        "title",
        "status",
        "summary",
        "body",
        "original_language",
        "text_translations",
        "lead_organization",
        "sdgs",
        "sectors",
        "region",
        "start_date",
        "end_date",
        "needs",
    }
    assert data["id"] == project.pk
    assert data["title"] == "Digital skills"
    assert data["status"] == "active"
    assert data["summary"] == "Coding clubs for teenagers."
    assert data["body"] == []
    assert data["lead_organization"] == {
        "id": partner.pk,
        "title": "Fundació Pont",
        "slug": "fundacio-pont",
    }
    assert data["sdgs"] == [
        {
            "number": 4,
            "name_en": "Quality education",
            "name_es": "Educación de calidad",
            "name_ca": "Educació de qualitat",
            "colour": "#C5192D",
        },
        {
            "number": 8,
            "name_en": "Decent work and economic growth",
            "name_es": "Trabajo decente y crecimiento económico",
            "name_ca": "Treball digne i creixement econòmic",
            "colour": "#A21942",
        },
    ]
    assert data["sectors"] == [{"name": "Education", "slug": "education"}]
    assert data["region"] == {"name": "Barcelonès", "slug": "barcelones"}
    assert data["start_date"] is None and data["end_date"] is None
    assert data["needs"] == ["Laptops", "Mentoring"]
    assert data["meta"]["type"] == "projects.ProjectPage"
    assert data["meta"]["slug"] == "digital-skills"
    assert data["meta"]["html_url"] == "http://localhost/projects/digital-skills/"
    assert "owner" not in data["meta"] and "proposer" not in data


def test_partner_detail_field_by_field_without_private_data(content):
    partner = content["partner"]
    status, data = _get(f"{API}{partner.pk}/")
    assert status == 200
    assert set(data) == {
        "id",
        "meta",
        "title",
        "kind",
        "summary",
        "description",
        "original_language",
        "text_translations",
        "logo",
        "sectors",
        "sdgs",
        "region",
        "city",
        "website",
        "offers",
        "seeks",
        "capabilities",
        "capability_names",
        "territories",
        "staff_band",
        "volunteer_band",
    }
    assert data["title"] == "Fundació Pont"
    assert data["kind"] == "foundation"
    assert data["summary"] == "Bridges between schools and companies."
    assert data["description"] == []
    assert data["logo"] is None
    assert data["sectors"] == [{"name": "Education", "slug": "education"}]
    assert [goal["number"] for goal in data["sdgs"]] == [4]
    assert data["region"] == {"name": "Barcelonès", "slug": "barcelones"}
    assert data["city"] == "Barcelona"
    assert data["website"] == "https://pont.example.org"
    assert data["offers"] == ["classrooms", "Mentoring"]
    assert data["seeks"] == ["Volunteers"]
    raw = str(data)
    assert "maria.private@example.org" not in raw
    assert "admin.person@example.org" not in raw


@pytest.mark.parametrize(
    "field", ["contact_email", "applicant", "proposer", "memberships", "team", "owner"]
)
def test_private_fields_cannot_be_requested(content, field):
    kind = (
        "partners.PartnerPage"
        if field in ("contact_email", "applicant")
        else "projects.ProjectPage"
    )
    status, data = _get(API, type=kind, fields=field)
    assert status == 400
    assert "unknown fields" in data["message"]


def test_drafts_are_never_served(content):
    for key in ("draft_project", "draft_partner"):
        status, _data = _get(f"{API}{content[key].pk}/")
        assert status == 404
    # A published project with a pending draft: the API serves the published version.
    project = content["project"]
    project.title = "Renamed in a draft"
    project.save_revision()
    status, data = _get(f"{API}{project.pk}/")
    assert data["title"] == "Digital skills"
    _status, listing = _get(API, search="Renamed")
    assert listing["items"] == []


def test_home_and_directories_are_not_served(content):
    from home.models import HomePage

    status, _ = _get(f"{API}{HomePage.objects.get().pk}/")
    assert status == 404
    status, data = _get(API, type="home.HomePage")
    assert status == 200 and data["items"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "active"}, ["Digital skills"]),
        ({"status": "active,idea"}, ["Digital skills", "Health walks"]),
        ({"type": "projects.ProjectPage", "status": "idea"}, ["Health walks"]),
        ({"sdg": "8"}, ["Digital skills"]),
        ({"sdg": "4"}, ["Digital skills", "Fundació Pont"]),
        ({"type": "partners.PartnerPage", "sdg": "4"}, ["Fundació Pont"]),
        ({"sector": "education"}, ["Digital skills", "Fundació Pont"]),
        ({"sector": "health"}, ["Health walks"]),
        ({"region": "girones"}, ["Health walks"]),
        ({"region": "barcelones", "sdg": "8"}, ["Digital skills"]),
        ({"region": "nowhere"}, []),
    ],
)
def test_filters(content, params, expected):
    status, data = _get(API, **params)
    assert status == 200, data
    assert sorted(item["title"] for item in data["items"]) == expected


def test_bad_filter_values_are_refused(content):
    status, data = _get(API, sdg="four")
    assert status == 400
    assert "sdg" in data["message"]
    for bad in (",", " ", "a\x00b"):
        status, data = _get(API, sector=bad)
        assert status == 400
        assert data["message"] == "sector filter error: give one or more values"
