"""Offer → booking request (on a phone) → approve → check out → return, in Chromium."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from resources.models import Booking, Listing
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.utils import organization_with_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_offer_book_approve_check_out_return(daphne_factory, new_page):
    server = daphne_factory()
    owner, _ = organization_with_member(
        admin=UserFactory(username="rosa"), title="Casal del Barri"
    )
    other, _ = organization_with_member(
        admin=UserFactory(username="admin2"), member=UserFactory(username="pau"), title="Coop Pau"
    )

    # The owner's admin lists a projector.
    desk = new_page()
    sign_in(desk, server, "rosa")
    desk.goto(f"{server.url}/resources/")
    desk.get_by_role("link", name="List a resource").click()
    desk.wait_for_url(re.compile(r"/resources/new/$"))
    form = desk.locator("main form.listing-form")
    form.locator("select[name=organization]").select_option(str(owner.pk))
    form.locator("select[name=type]").select_option("offer")
    form.locator("select[name=kind]").select_option("equipment")
    form.locator("input[name=title]").fill("Projector and screen")
    form.locator("textarea[name=description]").fill("Full HD, with cables.")
    form.locator("select[name=audience]").select_option("public")
    form.locator("button[type=submit]").click()
    desk.wait_for_url(re.compile(r"/resources/\d+/$"))
    listing = Listing.objects.get(title="Projector and screen")

    # Someone of another organization finds it on a phone and asks for it.
    phone = new_page(PHONE)
    sign_in(phone, server, "pau")
    phone.goto(f"{server.url}/resources/?kind=equipment")
    assert fits_the_screen(phone)
    phone.get_by_role("link", name="Projector and screen").click()
    phone.get_by_role("link", name="Book", exact=True).click()
    phone.wait_for_url(re.compile(r"/book/$"))
    assert fits_the_screen(phone)
    day = timezone.localdate() + timedelta(days=5)
    start = datetime.combine(day, time(10))
    phone.locator("select[name=organization]").select_option(str(other.pk))
    phone.locator("input[name=starts_at]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    phone.locator("input[name=ends_at]").fill(
        (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    phone.get_by_role("button", name="Ask for this booking").click()
    phone.wait_for_url(re.compile(rf"/resources/{listing.pk}/$"))
    assert "waits for the owner's approval" in phone.locator(".messages").inner_text()
    assert "Waiting for approval" in phone.locator(".bookings").inner_text()

    # The owner approves, hands it over and takes it back, with notes on its condition.
    desk.goto(f"{server.url}/resources/{listing.pk}/bookings/")
    card = desk.locator(".booking-desk .booking").first
    assert "Coop Pau" in card.inner_text()
    card.get_by_role("button", name="Approve").click()
    card = desk.locator(".booking-desk .booking").first
    card.get_by_label("Condition when handed over").fill("Lens clean, two cables")
    card.get_by_role("button", name="Check out").click()
    card = desk.locator(".booking-desk .booking").first
    card.get_by_label("Condition when returned").fill("All back, fine")
    card.get_by_role("button", name="Return").click()
    assert "Returned" in desk.locator(".booking-desk .booking").first.inner_text()

    booking = Booking.objects.get(listing=listing)
    assert (booking.status, booking.checkout_condition, booking.return_condition) == (
        "returned",
        "Lens clean, two cables",
        "All back, fine",
    )
    phone.reload()
    assert "Returned" in phone.locator(".bookings").inner_text()
