"""The project story in real Chromium against a live daphne: propose → (editor approves) →
invite and ask to join → accept → team → leave."""

import re

import pytest

from partners.services import membership_add
from projects.models import Participation, ProjectPage
from projects.services import project_approve
from tests.factories import PASSWORD, UserFactory
from tests.utils import approved_organization, editor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(context, server, username):
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/")
    page.fill("main form input[name=login]", username)
    page.fill("main form input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/portal/$"))
    return page


def test_project_story_in_the_browser(daphne_factory, browser):
    clara = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    approved_organization(admin=clara, title="Fundació Pas a Pas")
    bea = UserFactory(username="bea", first_name="Bea", last_name="Roca")
    coop = approved_organization(admin=bea, title="Coop Digital", offers=["laptops"])
    marc = UserFactory(username="marc", first_name="Marc", last_name="Soler")
    membership_add(organization=coop, user=marc)
    pau = UserFactory(username="pau", first_name="Pau", last_name="Mas")
    approved_organization(admin=pau, title="Veïns en Xarxa")
    server = daphne_factory()
    contexts = [browser.new_context(locale="en-GB") for _ in range(4)]
    try:
        for context in contexts:
            context.set_default_timeout(10_000)
        coordinator = sign_in(contexts[0], server, "clara")
        coordinator.goto(f"{server.url}/portal/projects/new/")
        form = coordinator.locator("main form.project-form")
        form.locator("input[name=title]").fill("Digital skills for young people")
        form.locator("input[name=summary]").fill("Coding clubs after school")
        form.locator("select[name=status]").select_option("forming")
        form.locator("input[name=needs]").fill("laptops, mentoring")
        form.locator("input[name=start_date]").fill("2026-09-01")
        form.locator("input[name=end_date]").fill("2027-06-30")
        form.locator("button[type=submit]").click()
        coordinator.wait_for_url(re.compile(r"/portal/projects/\d+/$"))
        assert coordinator.locator("text=Awaiting review").count() == 1
        project = ProjectPage.objects.get(title="Digital skills for young people")
        assert not project.live

        # The editor's approval happens in the Wagtail admin (tests/projects/test_pages.py).
        project_approve(project=project, user=editor())

        coordinator.reload()
        invite = coordinator.locator("main form.invite-form")
        invite.locator("select[name=organization]").select_option(label="Coop Digital")
        invite.locator("textarea[name=message]").fill("Your laptops would help!")
        invite.locator("button[type=submit]").click()
        coordinator.wait_for_selector("text=Coop Digital was invited.")

        partner_admin = sign_in(contexts[1], server, "bea")
        waiting = partner_admin.locator(".waiting-for-me")
        assert "Your laptops would help!" in waiting.inner_text()
        waiting.locator("button", has_text="Accept").click()
        partner_admin.wait_for_selector("text=Coop Digital is now a partner")

        asker = sign_in(contexts[2], server, "pau")
        asker.goto(f"{server.url}{project.url}")
        join = asker.locator("main form.join-form")
        join.locator("textarea[name=message]").fill("We can lend rooms.")
        join.locator("button[type=submit]").click()
        asker.wait_for_selector("text=Your request was sent")

        coordinator.reload()
        requests = coordinator.locator("li.participation", has_text="Veïns en Xarxa")
        assert "We can lend rooms." in requests.inner_text()
        requests.locator("button", has_text="Accept").click()
        coordinator.wait_for_selector("text=Veïns en Xarxa is now a partner")

        team = coordinator.locator("main form.team-add")
        team.locator("select[name=membership]").select_option(label="Marc Soler (Coop Digital)")
        team.locator("button[type=submit]").click()
        coordinator.wait_for_selector("text=Marc Soler joined the team.")
        assert coordinator.locator("table.team-table", has_text="@marc").count() == 1

        member = sign_in(contexts[3], server, "marc")
        member.locator("a", has_text="Digital skills for young people").first.click()
        member.wait_for_url(re.compile(rf"/portal/projects/{project.pk}/$"))
        assert member.locator("h1").inner_text() == "Digital skills for young people"

        partner_admin.goto(f"{server.url}{project.url}")
        partner_admin.get_by_role("link", name="Take Coop Digital out of the project").click()
        partner_admin.wait_for_selector("h1:has-text('Take Coop Digital out of')")
        partner_admin.click("main form.actions button[type=submit]")
        partner_admin.wait_for_selector("text=You took Coop Digital out of")
        assert Participation.objects.get(project=project, organization=coop).status == "left"

        response = member.goto(f"{server.url}/portal/projects/{project.pk}/")
        assert response.status == 404
    finally:
        for context in contexts:
            context.close()
