"""Invitations by e-mail speak the invited person's language: their account's when the address
has one, otherwise the one the inviting admin chose (the admin's own by default)."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.services import language_preference_set
from partners.models import Invitation
from partners.services import invitation_create
from tests.factories import UserFactory
from tests.partners.helpers import counts
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db

SUBJECT = {
    "en": "Join Fundació Pont on the Social Cluster",
    "es": "Únete a Fundació Pont en el Clúster Social",
    "ca": "Uneix-te a Fundació Pont al Clúster Social",
}
LINK_LINE = {
    "en": "Open this link to accept.",
    "es": "Abre este enlace para aceptar.",
    "ca": "Obre aquest enllaç per acceptar.",
}
PAGE_HEADING = {
    "en": "Invitation to join an organization",
    "es": "Invitación para unirse a una organización",
    "ca": "Invitació per unir-te a una organització",
}


@pytest.fixture
def organization():
    admin = UserFactory(username="maria")
    return approved_organization(admin=admin, title="Fundació Pont")


def admin_of(organization):
    return organization.memberships.get().user


def invite(client, organization, *, cookie="ca", **data):
    """The admin, reading the portal in ``cookie``'s language, sends the invite form."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    client.force_login(admin_of(organization))
    return client.post(
        reverse("portal:organization_invite", args=[organization.pk]),
        {"email": "nova@example.org", "role": "member", **data},
        follow=True,
    )


def sent(mailoutbox):
    (message,) = mailoutbox
    return message.subject, message.body


def test_the_form_offers_the_admins_own_language_first(client, organization):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ca"
    client.force_login(admin_of(organization))
    response = client.get(reverse("portal:organization_manage", args=[organization.pk]))
    form = response.context["invite_form"]
    assert form["language"].value() == "ca"
    assert 'name="language"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "es", "ca"])
def test_the_email_goes_in_the_chosen_language(
    client, organization, mailoutbox, django_capture_on_commit_callbacks, language
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organization, cookie="ca", language=language)
    assert response.status_code == 200
    subject, body = sent(mailoutbox)
    assert subject == SUBJECT[language]
    assert LINK_LINE[language] in body
    assert Invitation.objects.get().language == language
    # The pending invitation says which language it went in.
    names = {"en": "English", "es": "Español", "ca": "Català"}
    assert f'<span lang="{language}">{names[language]}</span>' in response.content.decode()
    # The admin is still answered in their own language.
    assert response.headers["Content-Language"] == "ca"


def test_an_account_with_a_language_gets_it_whatever_the_admin_chose(
    organization, mailoutbox, django_capture_on_commit_callbacks
):
    lucia = UserFactory(username="lucia", email="lucia@example.org")
    language_preference_set(user=lucia, language="es")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organization=organization,
            email="LUCIA@example.org",
            invited_by=admin_of(organization),
            language="ca",
        )
    assert invitation.language == "es"
    assert sent(mailoutbox)[0] == SUBJECT["es"]


def test_without_a_choice_the_active_language_is_used(
    organization, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organization=organization, email="nova@example.org", invited_by=admin_of(organization)
        )
    assert invitation.language == "es"
    assert sent(mailoutbox)[0] == SUBJECT["es"]


def test_an_unknown_language_is_refused_and_nothing_is_sent(client, organization, mailoutbox):
    before = counts()
    response = invite(client, organization, cookie="en", language="fr")
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert counts() == before and not Invitation.objects.exists() and not mailoutbox
    with pytest.raises(ValidationError) as error:
        invitation_create(
            organization=organization,
            email="nova@example.org",
            invited_by=admin_of(organization),
            language="fr",
        )
    assert "language" in error.value.error_dict
    assert not Invitation.objects.exists()


def open_link(client, mailoutbox):
    link = next(line for line in sent(mailoutbox)[1].splitlines() if "/invitations/" in line)
    return client.get(link.replace(settings.WAGTAILADMIN_BASE_URL, ""))


def test_the_link_opens_in_the_invitations_language_for_a_new_visitor(
    client, organization, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, organization, cookie="en", language="es")
    client.logout()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = open_link(client, mailoutbox)
    html = response.content.decode()
    assert response.status_code == 200
    assert PAGE_HEADING["es"] in html and '<html lang="es">' in html
    # The rest of the way (sign up, sign in) stays in that language.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    signup = client.get(reverse("account_signup"))
    assert signup.headers["Content-Language"] == "es"


def test_a_visitor_who_chose_a_language_keeps_it(
    client, organization, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, organization, cookie="en", language="es")
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ca"
    response = open_link(client, mailoutbox)
    assert PAGE_HEADING["ca"] in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_form_sent_without_a_language_uses_the_admins(
    client, organization, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, organization, cookie="es")
    assert Invitation.objects.get().language == "es"
    assert sent(mailoutbox)[0] == SUBJECT["es"]


def test_outside_any_request_the_sites_default_language_is_used(
    organization, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    translation.deactivate_all()  # as in a management command: no language active
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organization=organization, email="nova@example.org", invited_by=admin_of(organization)
        )
    assert invitation.language == settings.LANGUAGE_CODE
    assert sent(mailoutbox)[0] == SUBJECT["en"]
