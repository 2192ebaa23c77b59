"""Matchmaking ranks by the documented score and explains each result."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.services import organization_apply
from projects.matchmaking import WEIGHTS, organizations_for_project, projects_for_organization
from projects.models import ProjectPage
from projects.services import participation_invite, project_propose
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.projects.builders import add_partner, published_project
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy():
    return {
        "education": Sector.objects.create(name="Education", slug="education"),
        "housing": Sector.objects.create(name="Housing", slug="housing"),
        "bcn": Region.objects.create(name="Barcelonès", slug="barcelones"),
        "gir": Region.objects.create(name="Gironès", slug="girones"),
        "sdg": {s.number: s for s in SustainableDevelopmentGoal.objects.all()},
    }


def org(title, offers, sectors=(), region=None, sdgs=(), taxonomy=None, admin=None):
    return approved_organization(
        admin=admin,
        title=title,
        offers=list(offers),
        sectors=[taxonomy[s] for s in sectors],
        region=taxonomy[region] if region else None,
        sdgs=[taxonomy["sdg"][n] for n in sdgs],
    )


def test_weights_are_documented():
    import projects.matchmaking as module

    assert WEIGHTS == {"needs": 10, "sectors": 3, "region": 2, "sdgs": 1}
    assert "10 × matched need tags" in module.__doc__


def test_organizations_for_a_project_ranked_with_reasons(taxonomy):
    coordinator = UserFactory()
    lead = org("Lead", ["mentoring"], taxonomy=taxonomy, admin=coordinator)
    project = published_project(
        coordinator,
        lead,
        needs=["mentoring", "laptops", "volunteers"],
        sectors=[taxonomy["education"]],
        region=taxonomy["bcn"],
        sdgs=[taxonomy["sdg"][4], taxonomy["sdg"][10]],
    )
    a = org("Ateneu", ["mentoring", "laptops"], ["education"], "bcn", [4], taxonomy)
    b = org("Bits", ["mentoring", "laptops", "volunteers"], ["housing"], "gir", [1], taxonomy)
    c = org("Casal", ["volunteers"], ["education"], "bcn", [4, 10], taxonomy)
    org("Diners", ["funding"], ["education"], "bcn", [4, 10], taxonomy)  # no need matched
    e = org("Escola", ["mentoring"], taxonomy=taxonomy)
    participation_invite(project=project, organization=e, user=coordinator)  # involved
    draft_admin = UserFactory()
    organization_apply(user=draft_admin, title="Fundació draft", offers=["mentoring"])
    h = org("Hort", ["volunteers"], taxonomy=taxonomy)
    g = org("Graners", ["volunteers"], taxonomy=taxonomy)

    results = organizations_for_project(project)

    assert [(m.object.title, m.score) for m in results] == [
        ("Bits", 30),
        ("Ateneu", 20 + 3 + 2 + 1),
        ("Casal", 10 + 3 + 2 + 2),
        ("Graners", 10),
        ("Hort", 10),
    ]
    by_title = {m.object.title: m for m in results}
    ateneu = by_title["Ateneu"]
    assert ateneu.tags == ["laptops", "mentoring"]
    assert ateneu.sectors == ["Education"]
    assert ateneu.region == taxonomy["bcn"]
    assert ateneu.sdgs == [4]
    assert by_title["Bits"].region is None
    assert by_title["Bits"].sectors == [] and by_title["Bits"].sdgs == []
    assert by_title["Casal"].sdgs == [4, 10]
    assert {a.pk, b.pk, c.pk, g.pk, h.pk} == {m.object.pk for m in results}
    assert [m.object.title for m in organizations_for_project(project, limit=2)] == [
        "Bits",
        "Ateneu",
    ]


def test_projects_for_an_organization_ranked_with_reasons(taxonomy):
    admin = UserFactory()
    me = org("Me", ["mentoring", "laptops"], ["education"], "bcn", [4], taxonomy, admin=admin)
    coordinator = UserFactory()
    lead = org("Lead", [], taxonomy=taxonomy, admin=coordinator)

    def project(title, needs, **fields):
        return published_project(coordinator, lead, title=title, needs=needs, **fields)

    project("Both tags", ["mentoring", "laptops"], region=taxonomy["gir"])
    project("One tag, same sector", ["mentoring"], sectors=[taxonomy["education"]])
    project("One tag, same SDG", ["laptops"], sdgs=[taxonomy["sdg"][4]])
    done = project("Completed", ["mentoring", "laptops"])
    done.status = ProjectPage.Status.COMPLETED
    done.save_revision().publish()
    mine = project("Already partner", ["mentoring", "laptops"])
    add_partner(mine, me, coordinator)
    project("Nothing matched", ["funding"], sectors=[taxonomy["education"]])
    project_propose(user=coordinator, lead_organization=lead, title="Draft", needs=["mentoring"])

    results = projects_for_organization(me)

    assert [(m.object.title, m.score) for m in results] == [
        ("Both tags", 20),
        ("One tag, same sector", 13),
        ("One tag, same SDG", 11),
    ]
    assert results[1].sectors == ["Education"]
    assert results[2].sdgs == [4]
    assert results[0].tags == ["laptops", "mentoring"]


def test_no_needs_no_matches(taxonomy):
    coordinator = UserFactory()
    lead = org("Lead", ["mentoring"], taxonomy=taxonomy, admin=coordinator)
    project = published_project(coordinator, lead)
    org("Anyone", ["mentoring"], taxonomy=taxonomy)
    assert organizations_for_project(project) == []


@pytest.mark.parametrize("count", [3, 30])
def test_matchmaking_runs_a_bounded_number_of_queries(taxonomy, count):
    coordinator = UserFactory()
    lead = org("Lead", ["mentoring"], taxonomy=taxonomy, admin=coordinator)
    project = published_project(
        coordinator,
        lead,
        needs=["mentoring", "laptops"],
        sectors=[taxonomy["education"]],
        sdgs=[taxonomy["sdg"][4]],
        region=taxonomy["bcn"],
    )
    for n in range(count):
        org(f"Org {n:02}", ["mentoring", "laptops"], ["education"], "bcn", [4], taxonomy)
    with CaptureQueriesContext(connection) as queries:
        results = organizations_for_project(project, limit=50)
    assert len(results) == count
    assert len(queries.captured_queries) <= 7
    with CaptureQueriesContext(connection) as queries:
        projects_for_organization(lead)
    assert len(queries.captured_queries) <= 8
