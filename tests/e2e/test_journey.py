"""A newcomer's whole journey in real Chromium, at 360 px and at 1280 px: sign up → profile with
name and photo → organization → project → team → chat. Each step is reached by a link on the
page before (no typed addresses once signed in), each page fits the width, and a form sent
empty answers with the server's messages, never the browser's own validation bubble."""

import re

import pytest

from partners.models import PartnerPage
from partners.services import membership_add, organization_approve
from projects.models import ProjectPage
from projects.services import project_approve
from tests.e2e.test_accounts import wait_for_mail
from tests.e2e.test_partners import png_bytes
from tests.factories import UserFactory
from tests.utils import editor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 360, "desktop": 1280}
PASSWORD = "Un-bon-secret-2026"


def fits(page, width):
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} > {width}"


def empty_submit_is_answered_by_the_server(page, form, width):
    """Sent empty, the form reaches the server (no bubble stops it) and the page says what is
    missing, next to the fields."""
    assert form.evaluate("f => f.noValidate"), "the browser would answer with its own bubble"
    form.locator("button[type=submit]").first.click()
    page.wait_for_selector(".error-summary")
    fits(page, width)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_sign_up_to_chat_without_a_dead_end(daphne_factory, browser, tmp_path, width):
    size = WIDTHS[width]
    server = daphne_factory(DJANGO_MEDIA_ROOT=tmp_path / "media")
    context = browser.new_context(
        locale="en-GB", viewport={"width": size, "height": 800}, is_mobile=size < 400
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        # Sign up, from the home page's header.
        page.goto(server.url + "/")
        if size < 400:
            # On a phone the header keeps Sign in / Sign up behind the account menu.
            page.locator("header details.account-menu:visible summary").click()
        page.locator("header").get_by_role("link", name="Sign up").locator("visible=true").click()
        page.wait_for_url(re.compile(r"/accounts/signup/"))
        form = page.locator("main form").first
        empty_submit_is_answered_by_the_server(page, form, size)
        page.fill("input[name=first_name]", "Núria")
        page.fill("input[name=last_name]", "Serra")
        page.fill("input[name=email]", "nuria@example.org")
        page.fill("input[name=username]", "nuria")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.check("input[name=consent]")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
        fits(page, size)
        link = re.search(
            r"http://[^\s]+/accounts/confirm-email/[^\s]+", wait_for_mail(server.mail_dir)
        ).group(0)
        page.goto(re.sub(r"^http://[^/]+", server.url, link))
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/portal/profile/$"))
        fits(page, size)

        # The profile: a name (given at sign-up) and a photo.
        page.get_by_role("link", name="Edit your profile").click()
        page.wait_for_url(re.compile(r"/portal/profile/edit/$"))
        page.locator("input[name=photo]").set_input_files(
            files=[{"name": "me.png", "mimeType": "image/png", "buffer": png_bytes()}]
        )
        page.fill("input[name=languages]", "Catalan, Spanish")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/portal/profile/$"))
        assert page.locator("h1").inner_text() == "Núria Serra"
        assert page.locator(".profile-head img.profile-photo").count() == 1
        fits(page, size)

        # An organization, from the profile's next step.
        page.get_by_role("link", name="Register an organization").first.click()
        page.wait_for_url(re.compile(r"/portal/organizations/new/$"))
        form = page.locator("main form.organization-form")
        empty_submit_is_answered_by_the_server(page, form, size)
        form = page.locator("main form.organization-form")
        form.locator("input[name=title]").fill("Fundació Pas a Pas")
        form.locator("select[name=kind]").select_option("foundation")
        form.locator("textarea[name=summary]").fill("Digital skills for young people.")
        form.locator("input[name=website]").fill("www.pasapas.example.org")
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/portal/organizations/\d+/$"))
        assert page.locator(".review-state").inner_text().startswith("Awaiting review")
        fits(page, size)
        organization = PartnerPage.objects.get(title="Fundació Pas a Pas")
        assert organization.website == "https://www.pasapas.example.org"
        organization_approve(organization=organization, user=editor())
        # A colleague joins the organization (their own sign-up is the story above).
        colleague = UserFactory(username="marc", first_name="Marc", last_name="Soler")
        membership_add(organization=organization, user=colleague)

        # A project, from the dashboard.
        page.locator(".site-nav").get_by_role("link", name="My portal").click()
        page.wait_for_url(re.compile(r"/portal/$"))
        page.get_by_role("link", name="Propose a project").first.click()
        page.wait_for_url(re.compile(r"/portal/projects/new/$"))
        form = page.locator("main form.project-form")
        empty_submit_is_answered_by_the_server(page, form, size)
        form = page.locator("main form.project-form")
        form.locator("input[name=title]").fill("Coding clubs")
        form.locator("input[name=summary]").fill("Coding clubs after school")
        form.locator("select[name=status]").select_option("forming")
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/portal/projects/\d+/$"))
        fits(page, size)
        project = ProjectPage.objects.get(title="Coding clubs")
        project_approve(project=project, user=editor())

        # The team: the colleague is added from the workspace.
        page.reload()
        team = page.locator("main form.team-add")
        team.locator("select[name=membership]").select_option(
            label="Marc Soler (Fundació Pas a Pas)"
        )
        team.locator("button[type=submit]").click()
        page.wait_for_selector("text=Marc Soler joined the team.")
        fits(page, size)

        # The chat, in the workspace.
        page.wait_for_selector("[data-chat].is-connected")
        page.fill("[data-chat-input]", "Welcome to the team, Marc!")
        page.press("[data-chat-input]", "Enter")
        page.wait_for_selector(".chat-msg[data-seq='1'] .chat-body:text('Welcome to the team')")
        fits(page, size)
    finally:
        context.close()
