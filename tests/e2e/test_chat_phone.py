"""The chat on a phone, in real Chromium at 360 px: the composer is in view with a long history
(the message list scrolls, not the page), the messages' Edit and Delete buttons are one Tab stop
for the whole list and say which message they act on, "typing" goes as soon as that person's
message arrives, and who is online links to the cards people show."""

import re

import pytest

from tests.chat.conftest import seed_messages
from tests.e2e.test_chat import open_chat, send
from tests.factories import UserFactory
from tests.utils import project_with_partner_on_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team():
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project, _partner, member = project_with_partner_on_team(
        coordinator=coordinator, member=member
    )
    return project, coordinator, member


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        "return [e.tagName, e.getAttribute('aria-label') || e.textContent.trim()]; }"
    )


def test_composer_in_view_and_one_tab_stop_for_the_message_actions(team, daphne_factory, browser):
    project, coordinator, _member = team
    seed_messages(project, coordinator, 30, prefix="Hello from the phone")
    server = daphne_factory()
    context, page = open_chat(browser, server, coordinator, project)
    try:
        page.wait_for_selector(".chat-msg[data-seq='30']")
        assert page.evaluate("window.scrollY") == 0
        viewport = page.viewport_size["height"]
        for selector in ("[data-chat-input]", "[data-chat-submit]"):
            box = page.locator(selector).bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport, (selector, box)
        # The history scrolls inside its own box, the newest message at its bottom.
        log = page.locator("[data-chat-log]")
        assert log.evaluate("e => e.scrollHeight > e.clientHeight")
        assert log.evaluate("e => e.scrollHeight - e.scrollTop - e.clientHeight < 60")

        # From the list, one Tab reaches the actions, the next the composer's field: not two
        # stops for each of the 30 messages.
        page.focus("[data-chat-log]")
        page.keyboard.press("Tab")
        tag, name = focused(page)
        assert tag == "BUTTON"
        assert re.match(r"Edit your message of .+: Hello from the phone 30", name), name
        page.keyboard.press("ArrowRight")
        assert focused(page)[1].startswith("Delete your message of ")
        page.keyboard.press("ArrowUp")
        assert re.match(r"Delete your message of .+: Hello from the phone 29$", focused(page)[1])
        page.keyboard.press("ArrowLeft")
        assert re.match(r"Edit your message of .+: Hello from the phone 29$", focused(page)[1])
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.matches('[data-chat-input]')")
        # Back again: the stop remembers the message reached with the arrows.
        page.keyboard.press("Shift+Tab")
        assert focused(page)[1].startswith("Edit your message of "), focused(page)
        page.keyboard.press("Enter")
        assert page.locator("[data-chat-input]").input_value() == "Hello from the phone 29"
        assert page.evaluate("document.activeElement.matches('[data-chat-input]')")
        # Editing: the field keeps the composer's whole width, Save and Cancel below it in view.
        form_width = page.locator("[data-chat-form]").bounding_box()["width"]
        field = page.locator("[data-chat-input]").bounding_box()
        assert field["width"] >= 0.9 * form_width, (field, form_width)
        for selector in ("[data-chat-submit]", "[data-chat-cancel]"):
            box = page.locator(selector).bounding_box()
            assert box["y"] >= field["y"] + field["height"], (selector, box, field)
            assert box["y"] + box["height"] <= viewport, (selector, box)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
        page.keyboard.press("Escape")
        assert page.locator("[data-chat-cancel]").is_hidden()
        assert page.locator("[data-chat-input]").bounding_box()["width"] < 0.9 * form_width
    finally:
        context.close()


def test_typing_goes_when_that_persons_message_arrives(team, daphne_factory, browser):
    from people.services import profile_update

    project, coordinator, member = team
    profile_update(user=member, shown=True)  # Marta shows her card; Clara does not
    server = daphne_factory()
    marta_context, marta = open_chat(browser, server, member, project)
    clara_context, clara = open_chat(browser, server, coordinator, project)
    try:
        # Who is online links to the cards people show.
        clara.wait_for_selector("[data-chat-presence]:has-text('Marta Puig')")
        card = clara.locator("[data-chat-presence] a")
        assert card.all_inner_texts() == ["Marta Puig"]
        assert card.get_attribute("href") == f"/portal/people/{member.pk}/"
        marta.locator("[data-chat-input]").press_sequentially("On my way")
        clara.wait_for_selector("[data-chat-typing]:text('Marta Puig typing…')")
        send(marta, "On my way")
        clara.wait_for_selector(".chat-msg[data-seq='1']")
        assert clara.locator("[data-chat-typing]").inner_text() == ""
    finally:
        marta_context.close()
        clara_context.close()
