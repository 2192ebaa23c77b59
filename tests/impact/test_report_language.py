"""The public impact report in the reader's language: coordinators' texts marked with the
language they were written in, dates in the reader's format, years counted properly."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from impact.models import ImpactMap
from tests.impact.helpers import build_map

pytestmark = pytest.mark.django_db


def _main(client, project, language=None):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("impact:report", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize("language", ["ca", "es"])
def test_the_coordinators_texts_carry_their_language(client, team, language):
    build_map(team.project, team.coordinator, outcomes=2, publish=True)
    html = _main(client, team.project, language)
    # (each value cell also names its column, for the phone layout)
    assert re.search(r'<td data-label="[^"]+" lang="en">Young people</td>', html)
    assert '<span lang="en">Outcome 0</span>' in html
    assert re.search(r'<td data-label="[^"]+" lang="en">Indicator 1</td>', html)
    assert '<summary lang="en">Young people: Outcome 0</summary>' in html
    assert '<th scope="row" lang="en">Grant</th>' in html
    assert re.search(r'class="chart-label" lang="en">Young people<', html)
    # Interface words around them are not marked.
    assert html.count('lang="en"') == html.count('lang="en">')


def test_an_english_reader_gets_no_marks(client, team):
    build_map(team.project, team.coordinator, outcomes=2, publish=True)
    assert 'lang="' not in _main(client, team.project)


@pytest.mark.parametrize("language", ["en", "ca", "es"])
def test_the_publication_date_is_in_the_readers_format(client, team, language):
    build_map(team.project, team.coordinator, outcomes=1, publish=True)
    published = ImpactMap.objects.get(project=team.project).published_at
    html = _main(client, team.project, language)
    with translation.override(language):
        shown = date_format(published, "DATE_FORMAT")
    assert shown in html
    assert published.date().isoformat() not in html


def test_one_year_is_not_written_years(client, team):
    build_map(team.project, team.coordinator, outcomes=1, publish=True, period_years=1)
    html = _main(client, team.project)
    assert "lasts 1 year." in html
    assert "year(s)" not in html
