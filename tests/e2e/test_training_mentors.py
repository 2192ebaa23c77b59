"""Mentoring from the volunteer network in Chromium against a live daphne, on a desktop and on
a 360 px phone: the coordinator opens a learner's mentor page, sees the programme's staff and a
volunteer open to mentoring young people with the reasons they match, and chooses the
volunteer; the volunteer finds the mentee on their training page, records a 45-minute check-in
and sees 0.75 h from the programme on their own volunteer hours page; an outsider gets no
mentoring page. axe-core checks both pages on the way (no serious or critical violation)."""

import re

import pytest
from django.utils import timezone

from tests.e2e.pages import sign_in
from tests.e2e.test_accessibility import AXE, BLOCKING, _describe, run_axe
from tests.factories import UserFactory
from tests.services import missing
from tests.training.builders import build_world, learner
from training.models import CheckIn, Mentorship
from volunteers.models import HoursLog
from volunteers.services import profile_save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 360}

OVERFLOW = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


def _check(page, name, width):
    """No serious accessibility violation, and on the phone no sideways scrolling."""
    violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert violations == [], f"{name} at {width}:\n{_describe(violations)}"
    if width == "phone":
        scroll, client = page.evaluate(OVERFLOW)
        assert scroll <= client, f"{name} scrolls sideways at 360 px: {scroll} > {client}"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_coordinator_chooses_a_network_mentor_whose_checkin_counts_as_hours(
    daphne_factory, new_page, width
):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    w = build_world()
    volunteer = UserFactory(username="e_nuria", first_name="Núria", last_name="Vidal")
    profile_save(
        user=volunteer,
        university="UdG",
        studies="Computer science",
        skills="Python, HTML",
        languages="català, English",
        availability="evenings",
        open_to_mentoring=True,
    )
    kai = learner(
        w.programme,
        w.coordinator,
        cohort=w.cohort,
        alias="Kai",
        interests="Python",
        languages="català",
        availability="evenings",
    )
    server = daphne_factory()
    viewport = {"width": WIDTHS[width], "height": 900 if width == "desktop" else 740}

    # The coordinator sees the staff and the network, each with why they match.
    coordinator = new_page(viewport)
    sign_in(coordinator, server, w.coordinator.username)
    coordinator.goto(f"{server.url}/portal/training/learners/{kai.pk}/mentors/")
    coordinator.get_by_role("heading", name=f"Mentors for {kai.code}").wait_for()
    staff = coordinator.get_by_role("list", name="Suggested mentors")
    mentor_name = w.mentor.get_full_name() or w.mentor.get_username()
    assert staff.get_by_role("heading", name=mentor_name).is_visible()
    network = coordinator.get_by_role("list", name="From the volunteer network")
    card = network.locator("li").filter(has=coordinator.get_by_role("heading", name="Núria Vidal"))
    assert card.is_visible()
    text = card.inner_text()
    assert "UdG · Computer science" in text
    for reason in (
        "Knows what the learner wants to learn: Python, HTML.",
        "Speaks català, like the learner.",
        "Free when the learner is: Evenings.",
    ):
        assert reason in text
    _check(coordinator, "mentor matching", width)

    card.get_by_role("button", name="Assign Núria Vidal as mentor").click()
    coordinator.wait_for_url(re.compile(rf"/portal/training/learners/{kai.pk}/$"))
    coordinator.get_by_text("Mentor assigned.").wait_for()
    mentorship = Mentorship.objects.get(learner=kai, ended_on__isnull=True)
    assert mentorship.mentor == volunteer

    # The volunteer finds the mentee on their training page and records a check-in.
    nuria = new_page(viewport)
    sign_in(nuria, server, "e_nuria")
    nuria.goto(f"{server.url}/portal/training/")
    nuria.get_by_role("link", name=f"{kai.code} Kai").click()
    nuria.wait_for_url(re.compile(rf"/portal/training/mentorships/{mentorship.pk}/$"))
    nuria.get_by_role("heading", name=f"Mentoring {kai.code} Kai").wait_for()
    _check(nuria, "mentoring", width)

    add = nuria.locator(f"form[action$='/mentorships/{mentorship.pk}/checkins/']")
    add.get_by_label("Held on").fill(timezone.localdate().isoformat())
    add.get_by_label("Duration (minutes)").fill("45")
    add.get_by_label("Note").fill("Wrote a first CV together.")
    add.get_by_role("button", name="Add check-in").click()
    nuria.get_by_text("Saved.").wait_for()
    checkins = nuria.locator("section[aria-labelledby=checkins-heading]")
    assert "45 min · Wrote a first CV together." in checkins.inner_text()
    assert CheckIn.objects.get(mentorship=mentorship).minutes == 45
    if width == "phone":
        scroll, client = nuria.evaluate(OVERFLOW)
        assert scroll <= client, f"mentoring with a check-in scrolls sideways: {scroll}"

    # Her own volunteer hours page shows the programme's 0.75 h, verified.
    nuria.goto(f"{server.url}/volunteer/hours/")
    row = nuria.locator("table tbody tr").filter(has_text="Code club")
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[3] == "0.75" and cells[4].startswith("Verified"), cells
    assert HoursLog.objects.get(user=volunteer).status == HoursLog.Status.VERIFIED
    if width == "phone":
        scroll, client = nuria.evaluate(OVERFLOW)
        assert scroll <= client, f"volunteer hours scroll sideways: {scroll}"

    # Someone else has no mentoring page.
    outsider = new_page(viewport)
    sign_in(outsider, server, w.outsider.username)
    response = outsider.goto(f"{server.url}/portal/training/mentorships/{mentorship.pk}/")
    assert response.status == 404
    assert "Wrote a first CV together." not in outsider.content()
