"""Private pages tell browsers and shared caches to keep no copy (private, no-store)."""

import pytest

from tests.factories import UserFactory
from tests.impact.helpers import build_map
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db


def _directives(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


@pytest.fixture
def team():
    coordinator = UserFactory()
    project, partner, member = project_with_partner_on_team(coordinator=coordinator)
    impact_map = build_map(project, coordinator)
    return coordinator, project, partner, impact_map


def test_every_private_portal_page_says_private_no_store(client, team):
    coordinator, project, partner, impact_map = team
    lead = project.lead_organization
    urls = [
        "/portal/",
        f"/portal/projects/{project.pk}/",
        f"/portal/projects/{project.pk}/chat/",
        f"/portal/organizations/{lead.pk}/",
        f"/portal/projects/{project.pk}/impact/",
        f"/portal/projects/{project.pk}/impact/{impact_map.kind}/",
        "/account/privacy/",
        "/portal/organizations/new/",
        "/portal/projects/new/",
    ]
    client.force_login(coordinator)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _directives(response), (url, response["Cache-Control"])
        assert "public" not in _directives(response), url


def test_a_public_page_seen_by_a_signed_in_person_is_private_too(client, team):
    coordinator, project, _partner, _map = team
    client.force_login(coordinator)
    response = client.get(project.url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_portal_redirect_and_sign_in_form_are_private_for_visitors(client):
    for url in ("/portal/", "/account/privacy/", "/accounts/login/"):
        response = client.get(url)
        assert {"private", "no-store"} <= _directives(response), url


def test_public_pages_stay_cacheable_for_visitors(client, team):
    _coordinator, project, _partner, _map = team
    for url in ("/", "/projects/", project.url):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in _directives(response), url
    assert client.get("/projects/")["X-Page-Cache"] == "hit"
