"""Apply → approve → invite → accept (signing up from the invitation) → leave, in Chromium."""

import re
import time
from io import BytesIO

import pytest
from PIL import Image

from partners.models import PartnerPage
from partners.services import organization_approve
from taxonomy.models import SustainableDevelopmentGoal
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.utils import editor, vocabulary

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wait_for_mail(mail_dir, containing, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
            text = path.read_text()
            if containing in text:
                return text
        time.sleep(0.1)
    raise AssertionError(f"no e-mail containing {containing!r}")


def png_bytes():
    out = BytesIO()
    Image.new("RGB", (120, 60), "#0b5d6b").save(out, format="PNG")
    return out.getvalue()


def test_apply_approve_invite_accept_leave(daphne_factory, new_page, tmp_path):
    server = daphne_factory(DJANGO_MEDIA_ROOT=tmp_path / "media")
    UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    vocabulary("mentoring", "digital skills")  # approved tags: directory filters offer them
    sdg4 = SustainableDevelopmentGoal.objects.get(number=4)

    applicant = new_page()
    sign_in(applicant, server, "clara")
    applicant.get_by_role("link", name="Register an organization").click()
    applicant.wait_for_url(re.compile(r"/portal/organizations/new/$"))
    form = applicant.locator("main form")
    form.locator("input[name=title]").fill("Fundació Impuls Digital")
    form.locator("select[name=kind]").select_option("foundation")
    form.locator("textarea[name=summary]").fill("Digital skills for young people.")
    form.locator(f"input[name=sdgs][value='{sdg4.pk}']").check()
    form.locator("input[name=offers]").fill("mentoring, digital skills")
    form.locator("input[name=logo]").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    form.locator("button[type=submit]").click()
    applicant.wait_for_url(re.compile(r"/portal/organizations/\d+/$"))
    assert applicant.locator(".review-state").inner_text().startswith("Awaiting review")

    organization = PartnerPage.objects.get(title="Fundació Impuls Digital")
    organization_approve(organization=organization, user=editor())

    applicant.reload()
    assert "Published" in applicant.locator(".review-state").inner_text()
    invite = applicant.locator("main form.invite-form")
    invite.locator("input[name=email]").fill("jan@example.org")
    invite.locator("select[name=role]").select_option("member")
    invite.locator("button[type=submit]").click()
    applicant.wait_for_selector("text=An invitation was sent to jan@example.org")

    mail = wait_for_mail(server.mail_dir, "jan@example.org")
    link = re.search(r"http://\S+/portal/organizations/invitations/\S+/", mail).group(0)
    link = re.sub(r"^http://[^/]+", server.url, link)

    invitee = new_page()
    invitee.goto(link)
    assert "join Fundació Impuls Digital as member" in invitee.locator("main").inner_text()
    invitee.get_by_role("link", name="Create an account").click()
    invitee.wait_for_url(re.compile(r"/accounts/signup/"))
    assert invitee.locator("main form input[name=email]").input_value() == "jan@example.org"
    invitee.fill("main form input[name=first_name]", "Jan")
    invitee.fill("main form input[name=last_name]", "Puig")
    invitee.fill("main form input[name=username]", "jan")
    invitee.fill("main form input[name=password1]", "Un-bon-secret-2026")
    invitee.fill("main form input[name=password2]", "Un-bon-secret-2026")
    invitee.check("main form input[name=consent]")
    invitee.click("main form button[type=submit]")
    # The invitation vouched for the address: no confirmation e-mail, straight back to it.
    invitee.wait_for_url(re.compile(r"/portal/organizations/invitations/"))
    invitee.click("main form button:has-text('Join Fundació Impuls Digital')")
    invitee.wait_for_url(re.compile(rf"/portal/organizations/{organization.pk}/$"))
    assert "Welcome to Fundació Impuls Digital." in invitee.locator(".messages").inner_text()
    assert organization.memberships.filter(user__username="jan", role="member").exists()

    invitee.click("main .leave-form a")  # asks first, and says what leaving ends
    invitee.wait_for_selector("text=You will no longer be a member of Fundació Impuls Digital.")
    invitee.click("main form.actions button[type=submit]")
    invitee.wait_for_url(re.compile(r"/portal/$"))
    assert "You left Fundació Impuls Digital." in invitee.locator(".messages").inner_text()
    assert not organization.memberships.filter(user__username="jan").exists()

    # The directory shows the published organization with its offers.
    applicant.goto(f"{server.url}/partners/?offers=mentoring")
    assert applicant.locator(".partner-card h3").all_inner_texts() == ["Fundació Impuls Digital"]
