"""Opportunities in real Chromium: the cluster's map and figures without JavaScript, and the
story from a funding call to a draft project with partners found on the way."""

import re

import pytest

from tests.chat.conftest import session_cookie
from tests.factories import UserFactory
from tests.utils import approved_organization

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_page(browser, server, user=None, *, width=1280, javascript=True):
    context = browser.new_context(
        locale="en-GB", viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    if user:
        cookie = {"name": "sessionid", "value": session_cookie(user), "url": server.url}
        context.add_cookies([cookie])
    return context, context.new_page()


def test_the_cluster_map_and_figures_work_without_javascript(daphne_factory, browser):
    from taxonomy.models import Region

    osona = Region.objects.create(name="Osona", slug="osona")
    approved_organization(title="Vic cooperative", region=osona, kind="cooperative", city="Vic")
    server = daphne_factory()
    context, page = new_page(browser, server, width=360, javascript=False)
    try:
        page.goto(f"{server.url}/cluster/")
        tile = page.locator("svg[role=img] g[data-comarca='Osona']")
        assert tile.locator("text").last.text_content() == "1 · 0"
        region_table = page.locator("section[aria-labelledby='figure-region'] table")
        row = region_table.get_by_role("row", name=re.compile("Osona"))
        assert row.locator("td").first.inner_text() == "1"
        town = page.locator("section[aria-labelledby='figure-municipality'] table")
        assert town.get_by_role("row", name=re.compile("Vic")).is_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("By municipality")).click()
        assert download.value.suggested_filename == "cluster-municipality.csv"
        assert page.get_by_role(
            "heading", name="Social value of published SROI reports"
        ).is_visible()
        # Nothing sideways at 360 px: the map scales down, tables scroll inside their box.
        widths = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e => "
            "e.getBoundingClientRect().right > document.scrollingElement.clientWidth + 1)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + "
            "Math.round(e.getBoundingClientRect().right))"
        )
        assert widths[0] <= widths[1], wide
    finally:
        context.close()


def test_from_a_call_to_a_draft_project_with_a_partner_found_on_the_way(daphne_factory, browser):
    from datetime import timedelta

    from django.utils import timezone

    from opportunities import services
    from opportunities.models import CallProject, InterestMessage, PartnerSearch
    from projects.models import ProjectPage
    from tests.utils import editor

    lead_admin = UserFactory(username="lea", first_name="Lea", last_name="Puig")
    lead = approved_organization(admin=lead_admin, title="Lead foundation", kind="foundation")
    partner_admin = UserFactory(username="pere", first_name="Pere", last_name="Mas")
    partner = approved_organization(admin=partner_admin, title="Partner coop", kind="cooperative")
    moderator = editor()
    call = services.call_propose(
        user=moderator,
        title="Youth employment call",
        funder_type="generalitat",
        funder="Generalitat de Catalunya",
        deadline=timezone.localdate() + timedelta(days=40),
        eligible_kinds=["foundation", "cooperative"],
    )
    server = daphne_factory()
    lea_context, lea = new_page(browser, server, lead_admin)
    pere_context, pere = new_page(browser, server, partner_admin, width=360)
    try:
        # The lead reads the call and says it wants to form a consortium: a post seeking partners.
        lea.goto(f"{server.url}/opportunities/calls/{call.pk}/")
        consortium = lea.locator("section[aria-labelledby='consortium-heading']")
        consortium.get_by_role("button", name="Look for partners").click()
        lea.wait_for_url(re.compile(r"/opportunities/partner-search/\d+/$"))
        assert lea.locator("h1").inner_text() == "Consortium for Youth employment call"
        assert lea.get_by_role("link", name="Youth employment call").is_visible()
        post = PartnerSearch.objects.get(organization=lead)
        assert post.call_id == call.pk and post.expires_on == call.deadline

        # An editor publishes it (in the admin); another organization expresses interest.
        services.post_review(user=moderator, post=post, approve=True)
        pere.goto(f"{server.url}/opportunities/partner-search/{post.pk}/")
        interest = pere.locator("section[aria-labelledby='interest-heading']")
        interest.get_by_label("Message").fill("We run job clubs for young people.")
        interest.get_by_role("button", name="Send").click()
        pere.get_by_role("link", name="Your conversation as Partner coop").click()
        assert "We run job clubs for young people." in pere.locator("main").inner_text()

        # The lead's admin answers in their private conversation.
        lea.goto(f"{server.url}/opportunities/partner-search/{post.pk}/")
        lea.get_by_role("link", name="Conversation with Partner coop").click()
        assert "We run job clubs for young people." in lea.locator("main").inner_text()
        lea.get_by_label("Your message").fill("Welcome aboard: we propose the project now.")
        lea.get_by_role("button", name="Send").click()
        lea.wait_for_selector("text=Your message is sent.")
        pere.reload()
        assert "Welcome aboard" in pere.locator("main").inner_text()
        assert list(InterestMessage.objects.values_list("organization", flat=True)) == [
            partner.pk,
            lead.pk,
        ]

        # Back on the call, the lead proposes a draft project linked to it.
        lea.goto(f"{server.url}/opportunities/calls/{call.pk}/")
        consortium = lea.locator("section[aria-labelledby='consortium-heading']")
        consortium.get_by_role("button", name="Propose a draft project").click()
        lea.wait_for_url(re.compile(r"/portal/projects/\d+/$"))
        link = CallProject.objects.select_related("project").get(call=call)
        project = ProjectPage.objects.get(pk=link.project.pk)
        assert lea.url.endswith(f"/portal/projects/{project.pk}/")
        assert project.lead_organization_id == lead.pk and not project.live
        assert project.title == "Consortium for Youth employment call"
    finally:
        lea_context.close()
        pere_context.close()
