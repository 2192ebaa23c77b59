"""Profiles and the phone layout in real Chromium at 360 px: the header stays short, the
account menu opens without JavaScript's help, the profile fits, the project directory shows
projects before a wall of filters."""

import pytest

from people.services import profile_update
from tests.chat.conftest import session_cookie
from tests.factories import UserFactory
from tests.partners.helpers import png_upload
from tests.utils import approved_project, project_with_partner_on_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 361)
  .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, page.evaluate(WIDE)
    return True


def test_profile_menu_and_directory_at_phone_width(daphne_factory, browser):
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    project, partner, member = project_with_partner_on_team(coordinator=coordinator)
    for number in range(3):
        approved_project(
            coordinator=coordinator, lead=project.lead_organization, title=f"Project {number}"
        )
    profile_update(
        user=coordinator,
        languages="Catalan, Spanish",
        skills="facilitation, community building, data analysis",
        bio="I coordinate volunteers " * 20,
        photo_file=png_upload("me.png", size=(400, 300)),
        shown=True,
    )
    server = daphne_factory()
    context = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(coordinator), "url": server.url}]
    )
    page = context.new_page()
    try:
        page.goto(f"{server.url}/portal/profile/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 140, header
        assert fits(page)
        assert page.locator("h1").inner_text() == "Clara Vidal"
        photo = page.locator(".profile-head img.profile-photo").bounding_box()
        assert abs(photo["width"] - photo["height"]) < 1  # square, not stretched

        page.locator(".account-menu summary").click()
        page.locator(".account-menu").get_by_role("link", name="Change your password").click()
        page.wait_for_url(f"{server.url}/accounts/password/change/")
        page.go_back()

        page.goto(f"{server.url}/portal/profile/edit/")
        assert fits(page)

        page.goto(f"{server.url}/projects/")
        first = page.locator(
            ".project-results .card, [aria-labelledby=project-results-heading] .card"
        ).first
        assert first.bounding_box()["y"] < 1100
        assert fits(page)
    finally:
        context.close()
