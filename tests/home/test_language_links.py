"""Every link of every public page read in Catalan or Spanish stays in that language.

The walk starts at the home page under the language's prefix and follows the links to pages
(directories, partners, projects, editorial pages, pagination and filters), as a visitor who
chose the language would. A link to an unprefixed page, or to another language's prefix, fails
with the page it was found on. Doors with one URL in every language (/portal/, /accounts/,
/search/, /impact/…) follow the visitor's cookie and are fine as they are.
"""

import re
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from core.i18n import is_language_neutral_path
from taxonomy.models import Sector
from taxonomy.services import vocabulary_translate
from tests.factories import UserFactory
from tests.home.builders import standard_page
from tests.utils import approved_organization, approved_project

pytestmark = pytest.mark.django_db

HREF = re.compile(r"<a\b[^>]*\shref=\"([^\"]+)\"[^>]*>", re.IGNORECASE)
MAX_PAGES = 60


@pytest.fixture
def public_site():
    education = Sector.objects.create(name="Education", slug="education")
    coordinator = UserFactory()
    lead = approved_organization(
        admin=coordinator, title="Xarxa Jove", sectors=[education], offers=["volunteers"]
    )
    approved_project(
        coordinator, lead, title="Digital skills", summary="Coding clubs", needs=["volunteers"]
    )
    standard_page("About the cluster")
    vocabulary_translate()


def _links(html):
    for match in HREF.finditer(html):
        if "hreflang=" in match.group(0):
            continue  # the other languages' versions of this page, offered on purpose
        yield unescape(match.group(1))


@pytest.mark.parametrize("language", ["ca", "es"])
def test_every_public_link_stays_in_the_language(public_site, language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    prefix = f"/{language}/"
    queue, seen, leaving = deque([prefix]), {prefix}, []
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        # A page this small site lacks (the knowledge base's index, say) is another test's
        # business: this walk is about the language of the links.
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        visited += 1
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        for href in _links(html):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site, a mailto: link, a fragment
            path = parts.path
            if path.startswith(prefix):
                target = path + (f"?{parts.query}" if parts.query else "")
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
            elif not is_language_neutral_path(path) and not path.startswith(
                (settings.STATIC_URL, settings.MEDIA_URL)
            ):
                leaving.append((url, href))
    assert visited > 5
    assert leaving == []
