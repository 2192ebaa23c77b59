"""An editor features a project on the home page from the Wagtail admin, under the strict CSP."""

import re

import pytest

from tests.e2e.csp import CSPWatcher
from tests.factories import PASSWORD
from tests.home.builders import published_projects
from tests.utils import editor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_editor_features_a_project_with_the_page_chooser(daphne_factory, page):
    from home.models import HomePage

    published_projects(1, title="Coding club for teens")
    user = editor()
    home = HomePage.objects.get()
    server = daphne_factory()
    watcher = CSPWatcher(page)
    page.goto(f"{server.url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(f"{server.url}/admin/pages/{home.pk}/edit/")
    page.get_by_role("button", name=re.compile("Add featured project", re.I)).first.click()
    page.get_by_role("button", name="Choose a page (Project)").click()
    page.get_by_role("link", name="Coding club for teens").click()
    page.locator("#id_featured_projects-0-project").wait_for(state="attached")
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer button[name=action-publish]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))

    page.goto(f"{server.url}/")
    featured = page.locator("section[aria-labelledby=featured-title] h3")
    assert featured.all_inner_texts() == ["Coding club for teens"]
    assert not watcher, str(watcher)
