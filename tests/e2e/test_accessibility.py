"""Every page type in real Chromium, at a desktop width and a 360 px phone width, checked by
axe-core (npm, pinned in package-lock.json): no serious or critical violation of WCAG 2.1 A/AA
or axe's best practices, and no horizontal scrolling on the phone.

axe is handed to each page through the DevTools protocol (``page.evaluate``), not a <script>
element: the site's Content Security Policy refuses inline scripts, as it should.

The pages are built once for the module, committed, and served by one daphne process. The tests
are not transactional ones (their flush would empty the site between two pages); the module
fixture flushes the database when it is done instead, as a transactional test would. Each test
therefore runs inside a transaction while the server writes (sessions, search hits, chat
messages, editing sessions): on SQLite it is opened DEFERRED, so that it holds no lock on the
file the server shares (``sqlite_transactions_deferred``).
"""

import re

import pytest
from django.core.management import call_command

from tests.chat.conftest import session_cookie
from tests.conftest import BASE_DIR, DaphneServer, sqlite_transactions_deferred
from tests.services import missing

# The marker makes pytest-django set up the test database; each test's own transaction is
# empty (the pages are built by the module fixture, committed, for the server to see).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1280, "phone": 360}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")


class Site:
    """The people, pages and server the checks share."""


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    server = None
    with django_db_blocker.unblock(), sqlite_transactions_deferred():
        try:
            site = _build_site()
            mail = tmp_path_factory.mktemp("mail")
            server = site.server = DaphneServer(
                extra_env={
                    "EMAIL_FILE_PATH": str(mail),
                    "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                }
            ).start()
            site.cookies = {
                "coordinator": session_cookie(site.coordinator),
                "superuser": session_cookie(site.superuser),
            }
            yield site
        finally:
            if server:
                server.stop()
            call_command("flush", interactive=False, verbosity=0)


def _build_site():
    from home.models import HomePage
    from projects.services import project_details_update
    from taxonomy.models import SustainableDevelopmentGoal
    from tests.base_content import ensure_base_content
    from tests.e2e.test_impact import repair_review_workflow
    from tests.factories import UserFactory
    from tests.home.builders import standard_page
    from tests.impact.helpers import build_map
    from tests.utils import project_with_partner_on_team

    ensure_base_content()
    repair_review_workflow()
    site = Site()
    site.coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    site.superuser = UserFactory(username="boss", is_superuser=True, is_staff=True)
    site.project, site.partner, site.member = project_with_partner_on_team(
        coordinator=site.coordinator
    )
    site.lead = site.project.lead_organization
    build_map(site.project, site.coordinator, outcomes=2, publish=True)
    # Every SDG chip on the home page, the directory and the project page, in its own colours.
    site.project = project_details_update(
        project=site.project,
        user=site.coordinator,
        sdgs=list(SustainableDevelopmentGoal.objects.all()),
    )
    site.standard = standard_page(
        "About the cluster",
        intro="How organizations work together.",
        body=[("paragraph", "<p>We share <a href='/projects/'>projects</a>.</p>")],
    )
    site.home = HomePage.objects.get()
    return site


def _open(browser, site, width, role=None):
    context = browser.new_context(locale="en-GB", viewport={"width": WIDTHS[width], "height": 800})
    context.set_default_timeout(15_000)
    if role:
        context.add_cookies(
            [{"name": "sessionid", "value": site.cookies[role], "url": site.server.url}]
        )
    return context, context.new_page()


def _organization_form_with_errors(page):
    page.locator("#id_title").fill("")
    page.locator("#id_contact_email").fill("not an address")
    page.evaluate("document.querySelector('#id_title').form.noValidate = true")
    page.locator("#id_title").evaluate("input => input.form.requestSubmit()")
    page.wait_for_selector(".errorlist")


def _chat_open(page):
    page.wait_for_selector("[data-chat].is-connected")
    page.fill("[data-chat-input]", "Hello, team")
    page.press("[data-chat-input]", "Enter")
    page.wait_for_selector(".chat-msg[data-seq='1']")


def _admin_editor(page):
    page.wait_for_selector("form#page-edit-form")


# name: (role, path from the site, what to do once the page is loaded)
PAGES = {
    "home": (None, lambda s: "/", None),
    "project directory": (None, lambda s: "/projects/", None),
    "partner directory": (None, lambda s: "/partners/", None),
    "partner page": (None, lambda s: s.lead.url, None),
    "project page": (None, lambda s: s.project.url, None),
    "standard page": (None, lambda s: s.standard.url, None),
    "impact report": (None, lambda s: f"/impact/projects/{s.project.pk}/", None),
    "search results": (None, lambda s: "/search/?q=Digital", None),
    "sign in": (None, lambda s: "/accounts/login/", None),
    "sign up": (None, lambda s: "/accounts/signup/", None),
    "offline": (None, lambda s: "/offline/", None),
    "portal dashboard": ("coordinator", lambda s: "/portal/", None),
    "profile": ("coordinator", lambda s: "/portal/profile/", None),
    "profile form": ("coordinator", lambda s: "/portal/profile/edit/", None),
    "organization form with errors": (
        "coordinator",
        lambda s: f"/portal/organizations/{s.lead.pk}/",
        _organization_form_with_errors,
    ),
    "workspace with chat": (
        "coordinator",
        lambda s: f"/portal/projects/{s.project.pk}/",
        _chat_open,
    ),
    "cluster impact": (None, lambda s: "/impact/", None),
    "cluster map and figures": (None, lambda s: "/cluster/", None),
    "impact map working copy": (
        "coordinator",
        lambda s: f"/portal/projects/{s.project.pk}/impact/forecast/",
        None,
    ),
    "project edit form": (
        "coordinator",
        lambda s: f"/portal/projects/{s.project.pk}/edit/",
        None,
    ),
    "confirmation page": (
        "coordinator",
        lambda s: f"/portal/projects/{s.project.pk}/team/{s.member.pk}/remove/",
        None,
    ),
    "language and notification preferences": (
        "coordinator",
        lambda s: "/portal/notifications/preferences/",
        None,
    ),
    "project texts in other languages": (
        "coordinator",
        lambda s: f"/portal/projects/{s.project.pk}/texts/",
        None,
    ),
    "organization activity": (
        "coordinator",
        lambda s: f"/portal/organizations/{s.lead.pk}/activity/",
        None,
    ),
    "admin dashboard": ("superuser", lambda s: "/admin/", None),
    "admin page editor": (
        "superuser",
        lambda s: f"/admin/pages/{s.project.pk}/edit/",
        _admin_editor,
    ),
}


def _describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def run_axe(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
        "['violations']}).then(r => r.violations)",
        AXE_TAGS,
    )


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(site, browser, name, width):
    role, path, then = PAGES[name]
    context, page = _open(browser, site, width, role)
    try:
        response = page.goto(site.server.url + path(site))
        assert response.status == 200, f"{name}: {response.status}"
        if then:
            then(page)
        violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert violations == [], f"{name} at {width}:\n{_describe(violations)}"
        if width == "phone":
            overflow = page.evaluate(
                "() => [document.scrollingElement.scrollWidth, "
                "document.scrollingElement.clientWidth]"
            )
            assert overflow[0] <= overflow[1], f"{name} scrolls sideways at 360 px: {overflow}"
    finally:
        context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(site, browser):
    context, page = _open(browser, site, "phone")
    try:
        page.goto(f"{site.server.url}/projects/")
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        assert skip.get_attribute("href") == "#main"
        assert skip.is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # The next stop is inside the main content, with a visible focus ring.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('main') !== null")
        ring = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            "return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"
        )
        assert ring[0] == "solid" and ring[1] >= 2, ring
    finally:
        context.close()


def test_axe_finds_what_it_should(site, browser):
    """The check can fail: an unlabelled field and low-contrast text are reported."""
    context, page = _open(browser, site, "desktop")
    try:
        page.goto(f"{site.server.url}/offline/")
        # Styled from script: the policy refuses style attributes in markup.
        page.evaluate(
            "() => { const main = document.querySelector('main');"
            "main.appendChild(document.createElement('input'));"
            "const faint = main.appendChild(document.createElement('p'));"
            "faint.textContent = 'faint'; faint.style.color = '#bbb'; }"
        )
        found = {v["id"] for v in run_axe(page) if v["impact"] in BLOCKING}
        assert {"label", "color-contrast"} <= found
    finally:
        context.close()


def test_form_errors_are_announced_and_tied_to_their_fields(site, browser):
    context, page = _open(browser, site, "desktop", "coordinator")
    try:
        page.goto(f"{site.server.url}/portal/organizations/{site.lead.pk}/")
        _organization_form_with_errors(page)
        for field in ("title", "contact_email"):
            described = page.get_attribute(f"#id_{field}", "aria-describedby") or ""
            error_ids = [i for i in described.split() if page.locator(f"#{i}.errorlist").count()]
            assert error_ids, f"{field}: aria-describedby={described!r}"
            assert page.get_attribute(f"#id_{field}", "aria-invalid") == "true"
        summary = page.locator(".error-summary[role=alert]")
        assert summary.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        summary.get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.id") == "id_title"
    finally:
        context.close()


def test_a_failed_sign_in_is_announced_and_takes_the_focus(site, browser):
    context, page = _open(browser, site, "phone")
    try:
        page.goto(f"{site.server.url}/accounts/login/")
        page.fill("input[name=login]", site.coordinator.username)
        page.fill("input[name=password]", "not the password")
        page.click("main form button[type=submit]")
        summary = page.locator(".error-summary[role=alert]")
        summary.wait_for()
        assert "not correct" in summary.inner_text()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert violations == [], _describe(violations)
    finally:
        context.close()


def test_chat_is_usable_with_the_keyboard(site, browser):
    context, page = _open(browser, site, "desktop", "coordinator")
    try:
        page.goto(f"{site.server.url}/portal/projects/{site.project.pk}/chat/")
        page.wait_for_selector("[data-chat].is-connected")
        log = page.locator("[data-chat-log]")
        assert log.get_attribute("role") == "log"
        assert log.get_attribute("aria-live") == "polite"
        page.focus("[data-chat-input]")
        page.keyboard.type("Sent with the keyboard")
        page.keyboard.press("Enter")
        page.wait_for_selector(".chat-msg[data-seq] .chat-body:text('Sent with the keyboard')")
        assert log.locator("ol > li.chat-msg").count() >= 1
        # The log scrolls with the keyboard, and an own message's actions are reachable.
        page.focus("[data-chat-log]")
        assert page.evaluate("document.activeElement.matches('[data-chat-log]')")
        page.keyboard.press("Tab")
        assert re.match(r"Edit|Delete", page.evaluate("document.activeElement.textContent"))
    finally:
        context.close()
