"""Two people chat in real Chromium; one drops offline and catches up exactly once, in order."""

import pytest

from tests.chat.conftest import session_cookie
from tests.factories import UserFactory
from tests.utils import project_with_partner_on_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def open_chat(browser, server, user, project):
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": server.url}])
    page = context.new_page()
    page.goto(f"{server.url}/portal/projects/{project.pk}/chat/")
    page.wait_for_selector("[data-chat].is-connected")
    return context, page


def bodies(page):
    return page.locator("[data-chat-log] .chat-msg[data-seq] .chat-body").all_inner_texts()


def send(page, text):
    page.fill("[data-chat-input]", text)
    page.press("[data-chat-input]", "Enter")


def test_two_people_chat_offline_catch_up_and_xss_stays_text(daphne_factory, browser):
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project, _partner, member = project_with_partner_on_team(
        coordinator=coordinator, member=member
    )
    server = daphne_factory()
    member_context, marta = open_chat(browser, server, member, project)
    coordinator_context, clara = open_chat(browser, server, coordinator, project)
    try:
        clara.wait_for_function(
            "document.querySelector('[data-chat-presence]').textContent.includes('Marta')"
        )
        send(marta, f"Hola {XSS} see https://example.org/plan.")
        clara.wait_for_selector(".chat-msg[data-seq='1']")
        message = clara.locator(".chat-msg[data-seq='1'] .chat-body")
        assert XSS in message.inner_text()
        assert clara.locator("[data-chat-log] img, [data-chat-log] script").count() == 0
        link = message.locator("a")
        assert link.get_attribute("href") == "https://example.org/plan"
        assert "noopener" in link.get_attribute("rel")
        assert clara.evaluate("window.__xss") is None

        coordinator_context.set_offline(True)
        # Make sure the socket is really gone, as after a network cut.
        clara.evaluate("document.querySelector('[data-chat]').chat.socket.close()")
        clara.wait_for_selector("[data-chat-banner]:not([hidden])")
        for index in range(3):
            send(marta, f"missed {index}")
            marta.wait_for_selector(f".chat-msg[data-seq='{index + 2}']")
        send(clara, "written offline")
        clara.wait_for_selector(".chat-msg.is-pending")

        coordinator_context.set_offline(False)
        clara.wait_for_selector(".chat-msg[data-seq='5']")
        clara.wait_for_selector("[data-chat-banner][hidden]", state="attached")
        expected = [
            f"Hola {XSS} see https://example.org/plan.",
            "missed 0",
            "missed 1",
            "missed 2",
            "written offline",
        ]
        assert bodies(clara) == expected
        assert clara.locator(".chat-msg.is-pending").count() == 0
        marta.wait_for_selector(".chat-msg[data-seq='5']")
        assert bodies(marta) == expected
        # Nothing is left waiting in the outbox after a reload either.
        clara.reload()
        clara.wait_for_selector("[data-chat].is-connected")
        clara.wait_for_selector(".chat-msg[data-seq='5']")
        assert bodies(clara) == expected
    finally:
        member_context.close()
        coordinator_context.close()


def test_older_messages_changed_while_away_are_refreshed_on_reconnect(daphne_factory, browser):
    """Hello brings the newest 50 as they are now; an older message on screen that was deleted
    or edited while the person was offline is asked for again and shown as it is."""
    from chat.services import message_delete, message_edit
    from tests.chat.conftest import seed_messages

    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project, _partner, member = project_with_partner_on_team(
        coordinator=coordinator, member=member
    )
    seed_messages(project, coordinator, 60)
    server = daphne_factory()
    context, marta = open_chat(browser, server, member, project)
    try:
        marta.click("[data-chat-older]")
        marta.wait_for_selector(".chat-msg[data-seq='1']", state="attached")
        context.set_offline(True)
        marta.evaluate("document.querySelector('[data-chat]').chat.socket.close()")
        marta.wait_for_selector("[data-chat-banner]:not([hidden])")
        message_delete(project_id=project.pk, user=coordinator, seq=5)
        message_edit(project_id=project.pk, user=coordinator, seq=7, body="changed while away")
        context.set_offline(False)
        marta.wait_for_selector(".chat-msg[data-seq='5'].is-deleted", state="attached")
        seven = marta.locator(".chat-msg[data-seq='7'] .chat-body")
        assert seven.inner_text() == "changed while away"
        assert marta.locator(".chat-msg[data-seq]").count() == 60
    finally:
        context.close()
