"""The volunteer story in Chromium against a live daphne: a student applies to a role that
screens its volunteers, the coordinator screens and accepts her, she accepts the agreement,
takes a shift and logs her hours, the coordinator verifies them and her certificate's link
confirms them to anyone, while a forged link is refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.utils import approved_project
from volunteers import services
from volunteers.models import HoursLog, RoleApplication, ShiftSignup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_is_accepted_works_a_shift_and_her_certificate_is_checked(
    daphne_factory, new_page
):
    coordinator = UserFactory(username="e_coordinator", first_name="Clara")
    project = approved_project(coordinator=coordinator, title="Homework club")
    volunteer = UserFactory(username="e_volunteer", first_name="Laia", last_name="Puig")
    services.profile_save(user=volunteer, university="UB", skills="maths", contact_consent=True)
    role = services.role_create(
        user=coordinator,
        project=project,
        title="Maths tutor",
        screening=True,
        agreement="You help twice a month; the project insures you.",
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    shift = services.shift_create(
        user=coordinator, role=role, starts_at=start, ends_at=start + timedelta(hours=3), places=2
    )
    server = daphne_factory()

    # Laia applies to the role.
    laia = new_page()
    sign_in(laia, server, "e_volunteer")
    laia.goto(f"{server.url}/volunteer/roles/{role.pk}/")
    laia.locator("textarea[name=motivation]").fill("I study maths and love teaching.")
    laia.get_by_role("button", name="Apply").click()
    laia.wait_for_selector("text=Your application is sent")
    application = RoleApplication.objects.get(role=role, user=volunteer)
    assert application.status == RoleApplication.Status.APPLIED

    # Clara screens, then accepts her.
    clara = new_page()
    sign_in(clara, server, "e_coordinator")
    clara.goto(f"{server.url}/volunteer/roles/{role.pk}/applications/")
    card = clara.locator(f"#application-{application.pk}")
    card.get_by_role("button", name="Screen").click()
    clara.wait_for_selector("text=The volunteer is told.")
    application.refresh_from_db()
    assert application.status == RoleApplication.Status.SCREENED
    card = clara.locator(f"#application-{application.pk}")
    card.locator("textarea[name=message]").fill("Welcome aboard!")
    card.get_by_role("button", name="Accept").click()
    clara.wait_for_selector("text=The volunteer is told.")
    application.refresh_from_db()
    assert application.status == RoleApplication.Status.ACCEPTED

    # She cannot take a place before accepting the agreement; then she accepts it.
    laia.goto(f"{server.url}/volunteer/roles/{role.pk}/")
    assert laia.get_by_role("button", name="Take a place").count() == 0
    laia.get_by_role("link", name="Read and accept the volunteer agreement").click()
    laia.wait_for_selector("text=the project insures you")
    laia.get_by_role("button", name="Accept the agreement").click()
    laia.wait_for_selector("text=Tick the box to accept the agreement.")
    laia.get_by_label("I have read the volunteer agreement and I accept it").check()
    laia.get_by_role("button", name="Accept the agreement").click()
    laia.wait_for_selector("text=You accepted the agreement: choose your shifts now.")
    application.refresh_from_db()
    assert application.agreement_accepted_at is not None

    # She takes a place on the shift.
    laia.get_by_role("button", name="Take a place").click()
    laia.wait_for_selector("text=You have a place on this shift.")
    assert ShiftSignup.objects.filter(shift=shift, user=volunteer).exists()

    # She logs her hours (a preparation session today).
    laia.goto(f"{server.url}/volunteer/hours/")
    laia.locator("select[name=role]").select_option(str(role.pk))
    laia.locator("input[name=day]").fill(timezone.localdate().isoformat())
    laia.locator("input[name=hours]").fill("2.5")
    laia.locator("[name=note]").fill("Prepared the exercises")
    laia.get_by_role("button", name="Log these hours").click()
    laia.wait_for_selector("text=Your hours wait for a coordinator's verification.")
    entry = HoursLog.objects.get(user=volunteer)
    assert entry.status == HoursLog.Status.PENDING and entry.hours == Decimal("2.5")

    # Clara verifies them.
    clara.goto(f"{server.url}/volunteer/projects/{project.pk}/hours/")
    clara.get_by_role("button", name="Verify").click()
    clara.wait_for_selector("text=The hours are decided.")
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.VERIFIED and entry.decided_by == coordinator

    # Her certificate counts them and carries a link anyone can check.
    laia.goto(f"{server.url}/volunteer/certificate/")
    laia.wait_for_selector("text=Laia Puig gave 2.50 hours of volunteering")
    verify_url = laia.locator("article.certificate a[href*='/volunteer/certificate/']")
    verify_url = verify_url.get_attribute("href")
    pdf_url = laia.get_by_role("link", name="Download as PDF").get_attribute("href")
    pdf = laia.request.get(f"{server.url}{pdf_url}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-") and f"/URI ({verify_url})".encode() in pdf.body()
    visitor = new_page()
    response = visitor.goto(verify_url)
    assert response.status == 200
    visitor.wait_for_selector("text=for 2.50 verified volunteer hours")
    visitor.wait_for_selector("text=Volunteer: Laia Puig.")

    # A forged link (the claim altered, the signature kept) is refused.
    token = verify_url.rstrip("/").rsplit("/", 1)[1]
    forged = verify_url.replace(token, "X" + token[1:])
    response = visitor.goto(forged)
    assert response.status == 404
    assert "verified volunteer hours" not in visitor.content()
