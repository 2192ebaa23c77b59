"""Single-line fields refuse control characters; a bad value never turns an e-mail into a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import Invitation, PartnerPage
from partners.services import invitation_create, organization_apply
from projects.models import ProjectPage
from taxonomy.models import Sector
from tests.factories import UserFactory
from tests.partners.helpers import counts
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db

BAD = [
    "Fundació\nBcc: victim@example.org",
    "Fundació\rNova",
    "Fundació\tNova",
    "Fundació\x00Nova",
    "Fundació\u2028Nova",
    "Fundació\x85Nova",
]
MESSAGE = "Write this on one line"


@pytest.mark.parametrize("title", BAD)
def test_organization_form_refuses_control_characters_and_creates_nothing(client, title):
    client.force_login(UserFactory())
    before = counts()
    response = client.post(
        reverse("portal:organization_apply"),
        {"title": title, "kind": "foundation", "summary": "Nova.", "city": "Girona"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert counts() == before


def test_organization_city_is_one_line_too(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("portal:organization_apply"),
        {
            "title": "Fundació Nova",
            "kind": "foundation",
            "summary": "Two\nlines are fine.",
            "city": "Gi\nrona",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not PartnerPage.objects.filter(title="Fundació Nova").exists()


def test_services_refuse_control_characters_too():
    user = UserFactory()
    before = counts()
    with pytest.raises(ValidationError) as error:
        organization_apply(user=user, title="Evil\nSubject")
    assert "title" in error.value.error_dict
    assert counts() == before


def test_project_proposal_refuses_a_title_with_a_newline(client):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator)
    client.force_login(coordinator)
    response = client.post(
        "/portal/projects/new/",
        {
            "lead_organization": lead.pk,
            "title": "Repair\ncafés",
            "summary": "Fix.",
            "status": "idea",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not ProjectPage.objects.exists()


def test_models_refuse_it_so_admin_forms_do(admin_client):
    """Wagtail's admin forms call full_clean(): a sector named with a newline is refused."""
    with pytest.raises(ValidationError) as error:
        Sector(name="Health\ncare", slug="health-care").full_clean()
    assert MESSAGE in str(error.value)
    url = reverse("wagtailsnippets_taxonomy_sector:add")
    response = admin_client.post(url, {"name": "Health\ncare", "slug": "health-care"})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Sector.objects.filter(slug="health-care").exists()


def test_multi_line_summary_is_still_allowed():
    organization = organization_apply(
        user=UserFactory(), title="Fundació Dues Línies", summary="First line.\nSecond line."
    )
    assert organization.summary == "First line.\nSecond line."


def test_an_invitation_about_a_name_stored_with_a_newline_sends_no_500(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """A name stored before the rule (or by another road) must not break the invitation
    e-mail after its row was committed: the subject is made one line."""
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    PartnerPage.objects.filter(pk=organization.pk).update(title="Old\nName")
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:organization_invite", args=[organization.pk]),
            {"email": "joan@example.org", "role": "member"},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(email="joan@example.org").exists()
    (message,) = mailoutbox
    assert message.subject == "Join Old Name on the Social Cluster"


def test_a_mail_that_cannot_be_built_is_logged_not_raised(
    caplog, django_capture_on_commit_callbacks
):
    from notifications.mail import mail_queue

    with django_capture_on_commit_callbacks(execute=True):
        mail = mail_queue(to="bad\naddress@example.org", subject="fine", text="body")
    assert "not sent" in caplog.text
    mail.refresh_from_db()
    assert mail.status == "queued" and mail.attempts == 1 and mail.last_error


def test_invitation_to_the_service_directly_commits_with_its_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organization=organization, email="anna@example.org", invited_by=admin)
    assert len(mailoutbox) == 1
