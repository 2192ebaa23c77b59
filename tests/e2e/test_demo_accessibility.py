"""The demo cluster (``seed_demo``) as people meet it, in real Chromium at 1280 px and 360 px:
every page type a visitor, a coordinator and a team member see, checked by axe-core. The
hand-built pages of test_accessibility.py miss what only real content shows (long titles, logos,
photos, SDG chips in every colour, a chat with history); here the demo's own content is checked.

The demo is seeded once for the module, committed, and served by one daphne process; the module
fixture flushes the database when it is done, as a transactional test would.
"""

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import DaphneServer, sqlite_transactions_deferred
from tests.e2e.test_accessibility import AXE, BLOCKING, WIDTHS, _describe, run_axe
from tests.services import missing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db, pytest.mark.slow]


class Demo:
    """The seeded demo's people, pages and server."""


def signed_in_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    server = None
    with django_db_blocker.unblock(), sqlite_transactions_deferred():
        try:
            site = _seed()
            server = site.server = DaphneServer().start()
            site.cookies = {
                name: signed_in_cookie(site.users[name]) for name in ("coordinator", "member")
            }
            yield site
        finally:
            if server:
                server.stop()
            call_command("flush", interactive=False, verbosity=0)


def _seed():
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from partners.models import PartnerPage
    from projects.models import ProjectPage
    from tests.base_content import ensure_base_content

    # The site tree and locales the migrations make: a module before this one may have flushed
    # them.
    ensure_base_content()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "DEBUG", True)
        call_command("seed_demo", verbosity=0)
    site = Demo()
    users = get_user_model().objects.in_bulk(
        ["coordinator", "member", "outsider"], field_name="username"
    )
    site.users = users
    site.project = ProjectPage.objects.live().get(title="Digital skills for young people")
    site.partner = PartnerPage.objects.live().get(pk=site.project.lead_organization.pk)
    return site


def _chat_ready(page):
    page.wait_for_selector("[data-chat].is-connected")
    page.wait_for_selector(".chat-msg[data-seq]")


# name: (who, path, what to wait for once loaded)
PAGES = {
    "home": (None, lambda d: "/", None),
    "project directory": (None, lambda d: "/projects/", None),
    "partner directory": (None, lambda d: "/partners/", None),
    "partner page": (None, lambda d: d.partner.url, None),
    "project page": (None, lambda d: d.project.url, None),
    "impact report": (None, lambda d: f"/impact/projects/{d.project.pk}/", None),
    "cluster impact": (None, lambda d: "/impact/", None),
    "search results": (None, lambda d: "/search/?q=young", None),
    "sign in": (None, lambda d: "/accounts/login/", None),
    "dashboard": ("coordinator", lambda d: "/portal/", None),
    "profile": ("coordinator", lambda d: "/portal/profile/", None),
    "workspace": ("coordinator", lambda d: f"/portal/projects/{d.project.pk}/", _chat_ready),
    "chat": ("member", lambda d: f"/portal/projects/{d.project.pk}/chat/", _chat_ready),
}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_demo_page_has_no_serious_accessibility_violations(demo, browser, name, width):
    who, path, then = PAGES[name]
    context = browser.new_context(locale="en-GB", viewport={"width": WIDTHS[width], "height": 800})
    context.set_default_timeout(15_000)
    if who:
        context.add_cookies(
            [{"name": "sessionid", "value": demo.cookies[who], "url": demo.server.url}]
        )
    page = context.new_page()
    try:
        response = page.goto(demo.server.url + path(demo))
        assert response.status == 200, f"{name}: {response.status}"
        if then:
            then(page)
        violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert violations == [], f"{name} at {width}:\n{_describe(violations)}"
        if width == "phone":
            width_now = page.evaluate("document.scrollingElement.scrollWidth")
            assert width_now <= WIDTHS["phone"], f"{name} scrolls sideways at 360 px"
    finally:
        context.close()


# The newer pages, in Catalan (its words are longer than English ones) on a phone: each must fit
# 360 px without scrolling sideways and pass axe. name: (who, path)
CATALAN_PHONE_PAGES = {
    "communities": (None, lambda d: "/ca/communities/"),
    "a community": (None, lambda d: f"/ca/communities/{d.community.slug}/"),
    "knowledge base": (None, lambda d: "/ca/knowledge/"),
    "shared resources": (None, lambda d: "/ca/resources/"),
    "training figures": (None, lambda d: "/ca/training/statistics/"),
    "volunteering": (None, lambda d: "/ca/volunteer/"),
    "calls for ventures": (None, lambda d: "/ca/calls/"),
    "funding calls": (None, lambda d: "/ca/opportunities/calls/"),
    "partner search": (None, lambda d: "/ca/opportunities/partner-search/"),
    "events": (None, lambda d: "/ca/events/"),
    "cluster map": (None, lambda d: "/ca/cluster/"),
    "contacts": ("coordinator", lambda d: f"/portal/organizations/{d.partner.pk}/contacts/"),
}


@pytest.mark.parametrize("name", list(CATALAN_PHONE_PAGES))
def test_newer_pages_fit_a_phone_in_catalan(demo, browser, name):
    from knowledge.models import Community

    demo.community = Community.objects.order_by("pk").first()
    who, path = CATALAN_PHONE_PAGES[name]
    viewport = {"width": WIDTHS["phone"], "height": 800}
    context = browser.new_context(locale="ca-ES", viewport=viewport)
    context.set_default_timeout(15_000)
    cookies = [{"name": "django_language", "value": "ca", "url": demo.server.url}]
    if who:
        cookies.append({"name": "sessionid", "value": demo.cookies[who], "url": demo.server.url})
    context.add_cookies(cookies)
    page = context.new_page()
    try:
        response = page.goto(demo.server.url + path(demo))
        assert response.status == 200, f"{name}: {response.status}"
        assert page.evaluate("document.documentElement.lang") == "ca"
        # Anything in the page's main part reaching past the screen's edge, except inside the
        # boxes that scroll sideways on purpose (tables, charts).
        wide = page.evaluate(
            "() => [...document.querySelectorAll('main *')].filter(e => {"
            " const r = e.getBoundingClientRect(); return r.width && r.right > innerWidth + 1"
            " && !e.closest('.table-wrap, .table-scroll, .chart-scroll, [data-scroll]');"
            "}).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + "
            "Math.round(e.getBoundingClientRect().right))"
        )
        width_now = page.evaluate("document.scrollingElement.scrollWidth")
        assert width_now <= WIDTHS["phone"] and wide == [], f"{name} is wider than 360 px: {wide}"
        violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert violations == [], f"{name} in Catalan at 360 px:\n{_describe(violations)}"
    finally:
        context.close()


# Directories whose filters are collapsible groups: (path, what holds the results, how far down
# the results may start: the first screen). With their groups open as served, they started at
# 924, 1,189 and 989 px; the funding calls, with theirs closed, at 893 px before their search box
# sat beside its label and the header took two rows; the partners, with thirteen closed groups,
# at about 900 px before the capability profile's seven went under one.
DIRECTORIES = {
    "projects": ("/ca/projects/", "#project-results-heading", 800),
    "partners": ("/ca/partners/", ".directory-results", 800),
    "resources": ("/ca/resources/", ".directory-results", 800),
    "funding calls": ("/ca/opportunities/calls/", ".directory-results", 800),
}


@pytest.mark.parametrize("name", list(DIRECTORIES))
def test_directory_filters_start_closed_on_a_phone(demo, browser, name):
    """One pattern in every directory: on a phone the filter groups start closed unless a choice
    is made in them, so the first results come within the first screens, not after them."""
    path, results, bound = DIRECTORIES[name]
    viewport = {"width": WIDTHS["phone"], "height": 800}
    context = browser.new_context(locale="ca-ES", viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    opened = "() => document.querySelectorAll('form.filters details.facet[open]').length"
    try:
        page.goto(demo.server.url + path)
        assert page.evaluate("document.querySelectorAll('form.filters details.facet').length") > 1
        assert page.evaluate(opened) == 0
        top = page.evaluate(f"document.querySelector('{results}').getBoundingClientRect().top")
        assert top < bound, f"{name}: results at {top}"
        # A choice made keeps its group open, and a group opens with a tap.
        box = page.locator("form.filters details.facet summary").first
        box.click()
        assert page.evaluate(opened) == 1
        page.locator("form.filters details.facet[open] input[type=checkbox]").first.check()
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_load_state()
        assert page.evaluate(opened) == 1
    finally:
        context.close()


@pytest.mark.parametrize("who", [None, "member"])
def test_the_header_takes_two_short_rows_on_a_phone(demo, browser, who):
    """At 360 px in Catalan the header was 166 px (183 px signed in): the account links and the
    language switcher now fold into the account menu, a disclosure that opens from the keyboard
    without any script; at 1280 px they stay in the header as they were."""
    cookies = [{"name": "django_language", "value": "ca", "url": demo.server.url}]
    if who:
        cookies.append({"name": "sessionid", "value": demo.cookies[who], "url": demo.server.url})
    phone = browser.new_context(
        locale="ca-ES",
        viewport={"width": WIDTHS["phone"], "height": 800},
        java_script_enabled=False,
    )
    phone.set_default_timeout(15_000)
    phone.add_cookies(cookies)
    page = phone.new_page()
    try:
        page.goto(demo.server.url + "/ca/opportunities/calls/")
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= 110, f"header {height} px high at 360 px"
        assert not page.locator("#language-select").is_visible()
        assert page.locator(".account-nav details.account-menu:visible").count() == 1
        menu = page.locator(".account-nav details.account-menu:visible")
        menu.locator("summary").focus()
        page.keyboard.press("Enter")
        links = ["Inicia la sessió", "Registra't"]
        if who:
            links = ["El teu perfil", "Tanca la sessió"]
        for name in links:
            assert (
                menu.get_by_role("link", name=name)
                .or_(menu.get_by_role("button", name=name))
                .is_visible()
            ), name
        # The menu stays on the screen, and the language changes from it.
        box = menu.locator("ul").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS["phone"], box
        menu.get_by_label("Idioma").select_option("es")
        menu.get_by_role("button", name="Canvia").click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == "es"
    finally:
        phone.close()
    viewport = {"width": WIDTHS["desktop"], "height": 800}
    desktop = browser.new_context(locale="ca-ES", viewport=viewport)
    desktop.add_cookies(cookies)
    page = desktop.new_page()
    try:
        page.goto(demo.server.url + "/ca/opportunities/calls/")
        assert page.locator("#language-select").is_visible()
        assert page.locator(".phone-only:visible").count() == 0
        if who is None:
            assert page.locator(".account-nav > a", has_text="Inicia la sessió").is_visible()
    finally:
        desktop.close()


def test_the_cluster_map_labels_stay_readable_on_a_phone(demo, browser):
    """The map scrolls sideways in its own keyboard-reachable box instead of shrinking its
    comarca names to a few pixels; the page itself still fits the screen."""
    viewport = {"width": WIDTHS["phone"], "height": 800}
    context = browser.new_context(locale="ca-ES", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(demo.server.url + "/ca/cluster/")
        label = page.locator("[data-comarca] text").first.bounding_box()
        assert label["height"] >= 9, label
        box = page.locator(".map-scroll")
        assert box.get_attribute("tabindex") == "0"
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTHS["phone"]
    finally:
        context.close()
