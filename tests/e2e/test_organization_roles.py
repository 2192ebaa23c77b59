"""An organization publishes a volunteer role itself, in Chromium against a live daphne: its
admin finds the way on /portal/, offers the role and a shift; a student finds it in the
directory under the organization's name and takes a place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.utils import approved_organization
from volunteers import services
from volunteers.models import Role, ShiftSignup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_organization_admin_offers_a_role_and_a_student_takes_a_place(daphne_factory, new_page):
    admin = UserFactory(username="e_org_admin", first_name="Núria")
    organization = approved_organization(admin=admin, title="Casal del Barri")
    student = UserFactory(username="e_student", first_name="Pau")
    services.profile_save(user=student, university="UPF", contact_consent=True)
    server = daphne_factory()

    nuria = new_page()
    sign_in(nuria, server, "e_org_admin")
    nuria.goto(f"{server.url}/portal/")
    nuria.get_by_role("link", name="Offer a volunteer role").first.click()
    nuria.wait_for_selector("text=Offer a volunteer role of “Casal del Barri”")
    nuria.locator("[name=title]").fill("Festival helper")
    nuria.get_by_role("button", name="Offer", exact=True).click()
    nuria.wait_for_selector("text=The role is offered. Add its shifts.")
    role = Role.objects.get(title="Festival helper")
    assert role.organization_id == organization.pk and role.project_id is None
    start = timezone.localtime() + timedelta(days=3)
    nuria.locator("[name=starts_at]").fill(start.strftime("%Y-%m-%dT10:00"))
    nuria.locator("[name=ends_at]").fill(start.strftime("%Y-%m-%dT13:00"))
    nuria.locator("[name=places]").fill("5")
    nuria.get_by_role("button", name="Add", exact=True).click()
    nuria.wait_for_selector("text=The shift is added.")

    pau = new_page()
    sign_in(pau, server, "e_student")
    pau.goto(f"{server.url}/volunteer/")
    card = pau.locator("li.card", has_text="Festival helper")
    assert card.locator("a.publisher").inner_text() == "Casal del Barri"
    card.get_by_role("link", name="Festival helper").click()
    pau.wait_for_selector("text=Published by")
    pau.get_by_role("button", name="Take a place").first.click()
    pau.wait_for_selector("text=You have a place on this shift.")
    assert ShiftSignup.objects.filter(user=student, shift__role=role).exists()
