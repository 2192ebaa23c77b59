"""Titles written in another language than the page carry their ``lang`` on the portal's own
pages too: the dashboard, the workspace, search results and the impact reports."""

import re

import pytest
from django.conf import settings

from impact import services as impact_services
from tests.impact.helpers import build_map
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db

TITLE = "Digital skills for young people"


@pytest.fixture
def team():
    project, partner, member = project_with_partner_on_team()
    coordinator = project.team.filter(is_coordinator=True).first().user
    impact_services.impact_map_publish(
        impact_map=build_map(project, coordinator, outcomes=1), user=coordinator
    )
    return project, partner, member


def _html(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _marked(html, text):
    """The ``lang`` values of the elements whose own text starts with ``text``."""
    return re.findall(rf'lang="(\w+)"[^>]*>(?:<a [^>]*>)?(?:<strong>)?{re.escape(text)}', html)


@pytest.mark.parametrize("language", ["ca", "es"])
def test_english_project_titles_are_marked_on_catalan_and_spanish_portal_pages(
    client, team, language
):
    project, partner, member = team
    client.force_login(member)
    dashboard = _html(client, "/portal/", language)
    # The team's card and the chat panel's row.
    assert _marked(dashboard, TITLE).count("en") >= 2
    workspace = _html(client, f"/portal/projects/{project.pk}/", language)
    assert re.search(rf'<h1 lang="en">{TITLE}</h1>', workspace)
    assert "en" in _marked(workspace, partner.title)
    report = _html(client, f"/impact/projects/{project.pk}/", language)
    assert re.search(rf'<h1>[^<]*<span lang="en">{TITLE}</span></h1>', report)
    cluster = _html(client, "/impact/", language)
    assert f'<span lang="en">{TITLE}</span>' in cluster
    found = _html(client, "/search/?q=digital", language)
    # The title comes highlighted: "<mark>Digital</mark> skills…".
    assert re.search(r'<h3 lang="en"><a [^>]*>.*</mark> skills for young people', found)


def test_titles_in_the_pages_language_are_not_marked(client, team):
    project, partner, member = team
    client.force_login(member)
    for url in ("/portal/", f"/portal/projects/{project.pk}/", f"/impact/projects/{project.pk}/"):
        html = _html(client, url, "en")
        assert TITLE in html
        assert not _marked(html, TITLE)
        assert f'<span lang="en">{TITLE}' not in html
