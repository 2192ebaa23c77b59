"""The knowledge stories in real Chromium against a live daphne, one person on a phone:
propose → review → publish, and ask → answer → accept → promote."""

import re

import pytest

from knowledge.models import Answer, KnowledgeItemPage, Question
from knowledge.services import community_create
from tests.factories import PASSWORD, UserFactory
from tests.utils import editor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def sign_in(context, server, username):
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/")
    page.fill("main form input[name=login]", username)
    page.fill("main form input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/portal/$"))
    return page


def test_knowledge_stories_in_the_browser(daphne_factory, browser):
    anna = UserFactory(username="anna", first_name="Anna", last_name="Puig")
    UserFactory(username="joan", first_name="Joan", last_name="Serra")
    community = community_create(
        user=editor(),
        name="Digital inclusion of young people",
        summary="Sharing what works",
        facilitators=[anna],
    )
    server = daphne_factory()
    phone = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True)
    desk = browser.new_context(locale="en-GB")
    try:
        for context in (phone, desk):
            context.set_default_timeout(10_000)
        member = sign_in(phone, server, "joan")
        member.goto(f"{server.url}/communities/")
        member.locator("a", has_text=community.name).click()
        member.locator("main form.join-form button[type=submit]").click()
        member.wait_for_selector("text=Welcome to the community.")
        # Nothing wider than the phone's screen.
        width = member.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]

        # Propose → review → publish.
        member.locator("a", has_text="Propose knowledge").click()
        member.fill("input[name=title]", "Running a coding club")
        member.select_option("select[name=kind]", "guide")
        member.fill("textarea[name=body]", "Find a room.\n\nFind mentors.")
        member.locator("main form button[type=submit]").click()
        member.wait_for_selector("text=Your proposal was sent to the facilitators for review.")
        item = KnowledgeItemPage.objects.get(title="Running a coding club")
        assert not item.live

        facilitator = sign_in(desk, server, "anna")
        facilitator.goto(f"{server.url}/communities/{community.slug}/review/")
        card = facilitator.locator("li.card", has_text="Running a coding club")
        card.locator("input[value=approve]").check()
        card.locator("button[type=submit]").click()
        facilitator.wait_for_selector("text=Your review was recorded.")
        item.refresh_from_db()
        assert item.live
        member.goto(f"{server.url}{item.url}")
        assert member.locator("h1").inner_text() == "Running a coding club"
        member.locator("button", has_text="Yes").click()
        member.wait_for_selector("text=Thank you for your answer.")

        # Ask → answer → accept → promote.
        member.goto(f"{server.url}/communities/{community.slug}/questions/new/")
        member.fill("input[name=title]", "Which laptops do you lend?")
        member.locator("main form button[type=submit]").click()
        member.wait_for_selector("text=Your question was posted.")
        question = Question.objects.get(title="Which laptops do you lend?")

        facilitator.goto(f"{server.url}/communities/{community.slug}/questions/{question.pk}/")
        facilitator.fill("textarea[name=body]", "Refurbished ones, with Linux.")
        facilitator.locator("main form button", has_text="Post the answer").click()
        facilitator.wait_for_selector("text=Your answer was posted.")

        member.reload()
        member.locator("button", has_text="Accept this answer").click()
        member.wait_for_selector("text=Accepted answer")
        answer = Answer.objects.get(question=question)
        assert Question.objects.get(pk=question.pk).accepted_answer_id == answer.pk

        facilitator.reload()
        facilitator.locator("button", has_text="Promote into a knowledge item").click()
        facilitator.wait_for_selector("text=Proposed as a knowledge item")
        answer.refresh_from_db()
        assert answer.promoted_to is not None and not answer.promoted_to.live
    finally:
        phone.close()
        desk.close()
