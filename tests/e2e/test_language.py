"""A Catalan visitor stays in Catalan, in real Chromium against a live daphne: a browser asking
for Catalan that opens ``/`` lands on the Catalan home page, follows its links to the project
directory and a project, and never meets an English page or a link that leaves Catalan."""

import re

import pytest

from taxonomy.models import Sector
from taxonomy.services import vocabulary_translate
from tests.utils import approved_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Doors with one URL in every language (they follow the language cookie) and files.
NEUTRAL = (
    "/portal/",
    "/accounts/",
    "/search/",
    "/feeds/",
    "/impact/",
    "/privacy/",
    "/i18n/",
    "/static/",
    "/media/",
    "/documents/",
    "/manifest.webmanifest",
)


def assert_stays_in_catalan(page):
    assert page.locator("html").get_attribute("lang") == "ca"
    hrefs = page.eval_on_selector_all(
        "a[href^='/']:not([hreflang])", "links => links.map(a => a.getAttribute('href'))"
    )
    leaving = [href for href in hrefs if not href.startswith(("/ca/", *NEUTRAL))]
    assert leaving == [], page.url


def test_catalan_visitor_stays_in_catalan(daphne_factory, browser):
    education = Sector.objects.create(name="Education", slug="education")
    project = approved_project(
        title="Digital skills for young people",
        summary="Coding clubs after school",
        needs=["volunteers"],
        sectors=[education],
    )
    vocabulary_translate()
    server = daphne_factory()
    context = browser.new_context(locale="ca-ES")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/")
        assert page.url == f"{server.url}/ca/"
        assert_stays_in_catalan(page)

        page.locator(".hero .actions a.secondary").first.click()
        page.wait_for_url(f"{server.url}/ca/projects/")
        assert_stays_in_catalan(page)

        page.locator("main a", has_text="Digital skills for young people").first.click()
        page.wait_for_url(re.compile(rf"/ca/projects/{project.slug}/$"))
        assert_stays_in_catalan(page)
        main = page.locator("main").inner_text()
        assert "voluntaris" in main and "Educació" in main
        assert "volunteers" not in main and "Education" not in main
    finally:
        context.close()
