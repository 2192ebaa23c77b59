"""Offline in real Chromium: the service worker shows the offline page when the network is gone
and keeps nothing private; a chat message written offline survives a reload and is delivered
exactly once when the connection returns."""

import re

import pytest

from chat.models import Message
from tests.chat.conftest import session_cookie
from tests.factories import UserFactory
from tests.utils import project_with_partner_on_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OUTBOX = "chat-outbox:{project}:{user}"


def new_page(browser, server, user=None, width=360):
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 740})
    context.set_default_timeout(15_000)
    if user:
        cookie = {"name": "sessionid", "value": session_cookie(user), "url": server.url}
        context.add_cookies([cookie])
    return context, context.new_page()


def wait_for_service_worker(page):
    """Until the worker has installed (offline page precached) and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def cached_urls(page):
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const key of await caches.keys()) {
                const cache = await caches.open(key);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )


def test_offline_navigation_shows_the_offline_page_and_nothing_private_is_cached(
    daphne_factory, browser
):
    user = UserFactory(username="rosa", first_name="Rosa", last_name="Serra")
    server = daphne_factory()
    context, page = new_page(browser, server, user)
    try:
        page.goto(f"{server.url}/portal/")
        wait_for_service_worker(page)
        page.goto(f"{server.url}/partners/")
        page.goto(f"{server.url}/portal/")
        assert "Rosa" in page.content()

        context.set_offline(True)
        page.goto(f"{server.url}/projects/")
        assert page.locator("h1").inner_text() == "You are offline"
        assert page.url == f"{server.url}/projects/"
        page.goto(f"{server.url}/portal/")
        assert page.locator("h1").inner_text() == "You are offline"
        assert "Rosa" not in page.content()

        urls = cached_urls(page)
        assert "/offline/" in urls
        assert not [url for url in urls if not url.startswith(("/static/", "/offline/"))], urls

        context.set_offline(False)
        page.get_by_role("link", name="Try again").click()
        page.wait_for_url(re.compile(r"/portal/$"))
        assert page.locator("h1").inner_text() != "You are offline"
    finally:
        context.close()


def bodies(page):
    return page.locator("[data-chat-log] .chat-msg[data-seq] .chat-body").all_inner_texts()


def test_message_written_offline_is_kept_across_a_reload_and_delivered_once(
    daphne_factory, browser
):
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project, _partner, member = project_with_partner_on_team(
        coordinator=coordinator, member=member
    )
    server = daphne_factory()
    chat_url = f"{server.url}/portal/projects/{project.pk}/chat/"
    marta_context, marta = new_page(browser, server, member)
    clara_context, clara = new_page(browser, server, coordinator, width=1280)
    outbox = OUTBOX.format(project=project.pk, user=member.pk)
    try:
        clara.goto(chat_url)
        clara.wait_for_selector("[data-chat].is-connected")
        marta.goto(chat_url)
        marta.wait_for_selector("[data-chat].is-connected")
        wait_for_service_worker(marta)

        marta_context.set_offline(True)
        # As after a real network cut: the open socket is gone too.
        marta.evaluate("document.querySelector('[data-chat]').chat.socket.close()")
        marta.wait_for_selector("[data-chat-banner]:not([hidden])")
        # A reconnection has been tried and failed: the network really is gone for the socket.
        marta.wait_for_function("() => document.querySelector('[data-chat]').chat.attempt >= 2")
        marta.fill("[data-chat-input]", "Written on the train")
        marta.press("[data-chat-input]", "Enter")
        pending = marta.locator(".chat-msg.is-pending")
        assert pending.locator(".chat-body").inner_text() == "Written on the train"
        assert marta.evaluate(f"JSON.parse(sessionStorage.getItem('{outbox}')).length") == 1

        # Reloading offline shows the offline page; the message waits in the tab's storage.
        marta.reload()
        assert marta.locator("h1").inner_text() == "You are offline"
        assert not Message.objects.filter(project=project).exists()
        assert marta.evaluate(f"sessionStorage.getItem('{outbox}')") is not None

        marta_context.set_offline(False)
        marta.goto(chat_url)
        marta.wait_for_selector(".chat-msg[data-seq='1']")
        clara.wait_for_selector(".chat-msg[data-seq='1']")
        assert bodies(clara) == ["Written on the train"]
        assert bodies(marta) == ["Written on the train"]
        marta.wait_for_selector(".chat-msg.is-pending", state="detached")
        assert marta.evaluate(f"sessionStorage.getItem('{outbox}')") is None
        assert Message.objects.filter(project=project).count() == 1

        # Nothing is sent again on the next visit.
        marta.reload()
        marta.wait_for_selector("[data-chat].is-connected")
        marta.wait_for_selector(".chat-msg[data-seq='1']")
        assert marta.locator(".chat-msg.is-pending").count() == 0
        clara.fill("[data-chat-input]", "Welcome back")
        clara.press("[data-chat-input]", "Enter")
        marta.wait_for_selector(".chat-msg[data-seq='2']")
        assert bodies(clara) == ["Written on the train", "Welcome back"]
        assert Message.objects.filter(project=project).count() == 2
    finally:
        marta_context.close()
        clara_context.close()
