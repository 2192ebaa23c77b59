"""The chat's client-side times follow the page's language, not the browser's; English is
written day first, as the server writes its dates."""

import pytest

from tests.chat.conftest import session_cookie
from tests.factories import UserFactory
from tests.utils import project_with_partner_on_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHORT = "{dateStyle: 'short', timeStyle: 'short'}"


@pytest.mark.parametrize(("language", "written_as"), [("ca", "ca"), ("es", "es"), ("en", "en-GB")])
def test_message_times_are_written_in_the_page_language(
    daphne_factory, browser, language, written_as
):
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    project, _partner, _member = project_with_partner_on_team(coordinator=coordinator)
    server = daphne_factory()
    # An English phone, a person who reads the portal in Catalan or Spanish.
    context = browser.new_context(locale="en-US", timezone_id="Europe/Madrid")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {"name": "sessionid", "value": session_cookie(coordinator), "url": server.url},
            {"name": "django_language", "value": language, "url": server.url},
        ]
    )
    page = context.new_page()
    try:
        page.goto(f"{server.url}/portal/projects/{project.pk}/chat/")
        page.wait_for_selector("[data-chat].is-connected")
        assert page.evaluate("document.documentElement.lang") == language
        page.fill("[data-chat-input]", "Bon dia")
        page.press("[data-chat-input]", "Enter")
        time = page.locator(".chat-msg[data-seq='1'] time")
        time.wait_for()
        moment = time.get_attribute("datetime")
        expected, english = page.evaluate(
            f"""(moment) => [
                new Intl.DateTimeFormat('{written_as}', {SHORT}).format(new Date(moment)),
                new Intl.DateTimeFormat('en-US', {SHORT}).format(new Date(moment)),
            ]""",
            moment,
        )
        assert expected != english
        assert time.inner_text() == expected
    finally:
        context.close()


def test_a_message_in_another_language_is_marked_with_it(daphne_factory, browser):
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    project, _partner, _member = project_with_partner_on_team(coordinator=coordinator)
    server = daphne_factory()
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {"name": "sessionid", "value": session_cookie(coordinator), "url": server.url},
            {"name": "django_language", "value": "ca", "url": server.url},
        ]
    )
    page = context.new_page()
    try:
        page.goto(f"{server.url}/portal/projects/{project.pk}/chat/")
        page.wait_for_selector("[data-chat].is-connected")
        for text in (
            "Buenos días, mañana tenemos reunión con Marta",
            "Bon dia, demà tenim reunió",
        ):
            page.fill("[data-chat-input]", text)
            page.press("[data-chat-input]", "Enter")
        page.locator(".chat-msg[data-seq='2'] .chat-body").wait_for()
        assert page.locator(".chat-msg[data-seq='1'] .chat-body").get_attribute("lang") == "es"
        assert page.locator(".chat-msg[data-seq='2'] .chat-body").get_attribute("lang") is None
    finally:
        context.close()
