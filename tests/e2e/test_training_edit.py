"""Changing a learner and a session in Chromium against a live daphne, on a desktop and on a
360 px phone: the coordinator corrects a learner's interests, then books a room of the shared
resources for a session straight from the session's form, sees the booking's state on the
session's page, and is told clearly when the room they ask for is taken, with nothing changed.
axe-core checks every page on the way (no serious or critical violation); on the phone no page
scrolls sideways."""

import re
from datetime import timedelta

import pytest

from partners.models import PartnerPage
from resources import bookings
from resources import services as resources_services
from resources.models import Booking
from tests.e2e.pages import sign_in
from tests.e2e.test_accessibility import AXE, BLOCKING, _describe, run_axe
from tests.services import missing
from tests.training.builders import build_world, day
from training.models import Learner, Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 360}

OVERFLOW = "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"


def _check(page, name, width):
    violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert violations == [], f"{name} at {width}:\n{_describe(violations)}"
    if width == "phone":
        scroll, client = page.evaluate(OVERFLOW)
        assert scroll <= client, f"{name} scrolls sideways at 360 px: {scroll} > {client}"


def _room(w, title):
    return resources_services.listing_create(
        user=w.outsider,
        organization=PartnerPage.objects.get(title="Outsider org"),
        type="offer",
        kind="room",
        title=title,
        description="A room for twelve.",
        audience="public",
        expires_on=day(60),
    )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_coordinator_edits_a_learner_and_books_a_sessions_room(daphne_factory, new_page, width):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    w = build_world()
    aula = _room(w, "Aula 2")
    taken = _room(w, "Sala gran")
    session = w.sessions[2]  # in five days
    bookings.booking_request(
        user=w.partner_admin,
        listing=taken,
        organization=w.partner,
        starts_at=session.starts_at,
        ends_at=session.starts_at + timedelta(hours=1),
    )
    server = daphne_factory()
    viewport = {"width": WIDTHS[width], "height": 900 if width == "desktop" else 740}
    page = new_page(viewport)
    sign_in(page, server, w.coordinator.username)

    # The learner's details.
    page.goto(f"{server.url}/portal/training/learners/{w.adult.pk}/edit/")
    page.get_by_role("heading", name=f"Change learner {w.adult.code}").wait_for()
    _check(page, "learner edit", width)
    page.get_by_label("Interests").fill("Robots, Python")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/portal/training/learners/{w.adult.pk}/$"))
    page.get_by_text(f"Learner {w.adult.code} saved.").wait_for()
    assert Learner.objects.get(pk=w.adult.pk).interests == "Robots, Python"

    # The session's room, booked from its form.
    edit = f"{server.url}/portal/training/sessions/{session.pk}/edit/"
    page.goto(edit)
    page.get_by_role("heading", name="Change the session").wait_for()
    _check(page, "session edit", width)
    page.get_by_label("Book a room").select_option(label="Aula 2 · Outsider org")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/portal/training/cohorts/{w.cohort.pk}/$"))
    page.get_by_text("Session saved.").wait_for()
    session.refresh_from_db()
    booking = Booking.objects.get(listing=aula)
    assert session.room_booking == f"resources:booking:{booking.pk}"
    assert (booking.starts_at, booking.project_id) == (session.starts_at, w.project.pk)

    page.get_by_role("link", name="JavaScript").click()
    page.wait_for_url(re.compile(rf"/portal/training/sessions/{session.pk}/$"))
    assert (
        "Booked for this session: Waiting for approval" in page.locator("[data-room]").inner_text()
    )
    _check(page, "session", width)

    # A room taken at that time: refused, said so, nothing changed.
    page.goto(edit)
    page.get_by_label("Book a room").select_option(label="Sala gran · Outsider org")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("That time is already booked.").first.wait_for()
    assert "The room cannot be booked for the session's time." in page.content().replace(
        "&#x27;", "'"
    )
    _check(page, "session edit refused", width)
    assert Session.objects.get(pk=session.pk).room_booking == session.room_booking
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.PENDING
    assert not Booking.objects.filter(listing=taken, project=w.project).exists()
