"""A visitor searches from the home page in real Chromium, without accents."""

import re

import pytest

from tests.home.builders import published_projects

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_a_project_without_typing_accents(daphne_factory, page):
    published_projects(1, title="Formació digital", summary="Cursos de formació per a joves.")
    server = daphne_factory()
    page.goto(f"{server.url}/")
    page.fill("main form[role=search] input[name=q]", "formacio")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"/search/\?q=formacio"))
    result = page.locator(".search-results li").first
    assert result.locator("h3 a").inner_text() == "Formació digital"
    assert result.locator("mark").first.inner_text() == "Formació"
    result.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/projects/formacio-digital/"))
    assert page.locator("h1").inner_text() == "Formació digital"
