"""The portal's live parts and the admin's choosers under the strict policy, in real Chromium:
the team chat of a project workspace, and the partner logo and lead organization choosers."""

import re

import pytest

from tests.chat.conftest import session_cookie
from tests.e2e.csp import CSPWatcher
from tests.e2e.test_csp import sign_in_to_admin
from tests.factories import UserFactory
from tests.utils import approved_organization, project_with_partner_on_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_workspace(browser, server, user, project):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": server.url}])
    page = context.new_page()
    watcher = CSPWatcher(page)
    response = page.goto(f"{server.url}/portal/projects/{project.pk}/")
    page.wait_for_selector("[data-chat].is-connected")
    return context, page, watcher, response.headers["content-security-policy"]


def send(page, text):
    page.fill("[data-chat-input]", text)
    page.press("[data-chat-input]", "Enter")


def test_workspace_chat_sends_and_receives_under_the_policy(daphne_factory, browser):
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project, _partner, member = project_with_partner_on_team(
        coordinator=coordinator, member=member
    )
    server = daphne_factory()
    marta_context, marta, marta_watcher, csp = open_workspace(browser, server, member, project)
    clara_context, clara, clara_watcher, _csp = open_workspace(
        browser, server, coordinator, project
    )
    try:
        directives = dict(
            (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in csp.split(";")) if part
        )
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert f"ws://127.0.0.1:{server.port}" in directives["connect-src"]

        send(marta, "Bon dia, equip")
        clara.wait_for_selector(".chat-msg[data-seq='1']")
        assert clara.locator(".chat-msg[data-seq='1'] .chat-body").inner_text() == (
            "Bon dia, equip"
        )
        send(clara, "Hola Marta")
        marta.wait_for_selector(".chat-msg[data-seq='2']")
        assert marta.locator(".chat-msg[data-seq='2'] .chat-body").inner_text() == "Hola Marta"
        assert marta.locator(".chat-msg.is-pending").count() == 0
        assert not marta_watcher, str(marta_watcher)
        assert not clara_watcher, str(clara_watcher)
    finally:
        marta_context.close()
        clara_context.close()


def test_logo_region_and_lead_organization_choosers_open_under_admin_policy(daphne_factory, page):
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Fundació Horitzó")
    project, _partner, _member = project_with_partner_on_team(coordinator=admin)
    server = daphne_factory()
    watcher = CSPWatcher(page)
    sign_in_to_admin(page, server)

    page.goto(f"{server.url}/admin/pages/{organization.pk}/edit/")
    page.get_by_role("button", name=re.compile("Choose an image", re.I)).first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("heading", name=re.compile("Choose an image", re.I)).wait_for()
    page.goto(f"{server.url}/admin/pages/{organization.pk}/edit/")
    page.get_by_role("button", name=re.compile("Choose region", re.I)).first.click()
    modal.get_by_role("heading", name=re.compile("Choose region", re.I)).wait_for()

    page.goto(f"{server.url}/admin/pages/{project.pk}/edit/")
    chooser = page.locator("#id_lead_organization-chooser")
    chooser.get_by_role("button", name="Actions").click()
    chooser.get_by_role("button", name=re.compile("Choose another page", re.I)).click()
    modal.wait_for()
    modal.get_by_role("link", name="Fundació Horitzó").first.click()
    page.locator(".chooser__title", has_text="Fundació Horitzó").first.wait_for()
    assert page.locator("#id_lead_organization").input_value() == str(organization.pk)
    assert not watcher, str(watcher)
