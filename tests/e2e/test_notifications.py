"""The bell's count follows the person's notifications live in real Chromium, under the strict
Content Security Policy: marking them read in one tab clears the bell of another tab at once;
a page whose socket cannot open keeps the count it was rendered with, without an error."""

import pytest

from notifications.services import notification_create
from tests.chat.conftest import session_cookie
from tests.e2e.csp import CSPWatcher
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def notify(user, title):
    notification_create(
        user=user,
        kind="projects.team_added",
        render=lambda: (title, ""),
        url="/portal/",
        email=False,
        language="en",
    )


def test_reading_in_one_tab_clears_the_bell_in_another(daphne_factory, browser):
    marta = UserFactory(username="marta")
    notify(marta, "First")
    notify(marta, "Second")
    server = daphne_factory()
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": session_cookie(marta), "url": server.url}])
    try:
        first = context.new_page()
        watcher = CSPWatcher(first)
        first.goto(f"{server.url}/portal/")
        # The socket said hello with the count: the page is live.
        first.wait_for_selector("a.bell[data-count='2'] .badge")
        second = context.new_page()
        second.goto(f"{server.url}/portal/notifications/")
        second.get_by_role("button", name="Mark all read").click()
        first.wait_for_selector("a.bell[data-count='0']")
        assert first.locator("a.bell .badge").count() == 0
        assert not watcher, str(watcher)
    finally:
        context.close()


def test_without_a_socket_the_bell_keeps_its_count(daphne_factory, browser):
    marta = UserFactory(username="marta")
    notify(marta, "First")
    server = daphne_factory()
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": session_cookie(marta), "url": server.url}])
    # A browser without websockets (or a proxy that strips them).
    context.add_init_script("delete window.WebSocket;")
    errors = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server.url}/portal/")
        page.wait_for_load_state("load")
        badge = page.locator("a.bell .badge")
        assert badge.inner_text().startswith("1")
        assert page.locator("a.bell").get_attribute("data-count") is None
        assert errors == []
    finally:
        context.close()
