"""What a person meets around a project leads somewhere: scores say what they count, the open
impact report is linked from the project page and /impact/ from every page."""

import pytest
from django.test import Client

from core.pagecache import HEADER
from impact import services as impact_services
from tests.factories import UserFactory
from tests.impact.helpers import build_map
from tests.projects.builders import published_project
from tests.utils import approved_organization, project_with_partner_on_team

pytestmark = pytest.mark.django_db


def test_match_scores_are_labelled_and_explained(client):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Lead")
    project = published_project(coordinator, lead, needs=["mentoring"])
    approved_organization(title="Mentors Coop", offers=["mentoring"])
    client.force_login(coordinator)
    html = client.get(f"/portal/projects/{project.pk}/").content.decode()
    assert "Match score: 10" in html
    assert "10 points for each need" in html


def test_the_project_page_links_its_open_impact_report():
    coordinator = UserFactory()
    project, _, _ = project_with_partner_on_team(coordinator=coordinator)
    report_url = f"/impact/projects/{project.pk}/"
    url = project.url
    assert report_url not in Client().get(url).content.decode()
    assert Client().get(url)[HEADER] == "hit"
    impact_map = build_map(project, coordinator, publish=True)
    response = Client().get(url)
    assert response[HEADER] == "miss"  # publishing the report refreshed the cached page
    assert report_url in response.content.decode()
    assert Client().get(report_url).status_code == 200
    impact_services.impact_map_unpublish(impact_map=impact_map, user=coordinator)
    assert report_url not in Client().get(url).content.decode()


def test_a_draft_report_is_not_linked():
    coordinator = UserFactory()
    project, _, _ = project_with_partner_on_team(coordinator=coordinator)
    build_map(project, coordinator, publish=False)
    assert f"/impact/projects/{project.pk}/" not in Client().get(project.url).content.decode()


@pytest.mark.parametrize("path", ["/", "/projects/", "/partners/"])
def test_the_impact_reports_are_reachable_from_every_page(path):
    html = Client().get(path).content.decode()
    assert 'href="/impact/"' in html
