"""Notifications speak their recipient's language, remembered at sign-in and at the switcher,
whatever the language of the person whose action caused them."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from chat.services import message_send
from notifications.models import LanguagePreference, Notification
from notifications.services import language_preference_set, notification_create_many
from partners.services import organization_apply, organization_reject
from projects.services import project_propose, project_reject
from tests.factories import PASSWORD, UserFactory
from tests.utils import (
    approved_organization,
    approved_project,
    editor,
    project_with_partner_on_team,
)

pytestmark = pytest.mark.django_db

INVITED_ES = "Colectivo Ríos está invitada a unirse a «Digital skills for young people»"
INVITED_EN = "Colectivo Ríos is invited to join “Digital skills for young people”"


def catalan(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ca"
    return client


def invite_over_http(client, coordinator, project, organization, message=""):
    catalan(client).force_login(coordinator)
    response = client.post(
        f"/portal/projects/{project.pk}/invite/",
        {"organization": organization.pk, "message": message},
        follow=True,
    )
    # The coordinator is answered in Catalan: the request's language is not the admin's.
    assert response.headers["Content-Language"] == "ca"
    assert "convidat Colectivo Ríos." in response.content.decode()
    return response


@pytest.fixture
def invitation(client, django_capture_on_commit_callbacks, mailoutbox):
    """A coordinator who reads the portal in Catalan invites Colectivo Ríos."""

    def invite(admin_language=None):
        coordinator = UserFactory(username="jordi")
        project = approved_project(coordinator=coordinator)
        admin = UserFactory(username="lucia")
        organization = approved_organization(admin=admin, title="Colectivo Ríos")
        if admin_language:
            language_preference_set(user=admin, language=admin_language)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            invite_over_http(client, coordinator, project, organization, "¡Hola, Lucía!")
        return admin

    return invite


def test_catalan_coordinator_invites_a_spanish_admin_in_spanish(invitation, mailoutbox):
    admin = invitation(admin_language="es")
    notification = Notification.objects.get(user=admin, kind="projects.invitation")
    assert notification.title == INVITED_ES
    assert notification.body == "¡Hola, Lucía!"
    [email] = mailoutbox
    assert email.to == [admin.email]
    assert email.subject == INVITED_ES
    assert email.body.startswith("¡Hola, Lucía!\n\n")


def test_admin_without_a_preference_is_told_in_the_default_language(invitation, mailoutbox):
    admin = invitation()
    assert not LanguagePreference.objects.filter(user=admin).exists()
    notification = Notification.objects.get(user=admin, kind="projects.invitation")
    assert notification.title == INVITED_EN
    assert [m.subject for m in mailoutbox] == [INVITED_EN]


def test_review_outcome_and_comment_label_are_in_the_proposers_language(
    django_capture_on_commit_callbacks,
):
    proposer = UserFactory(username="ana")
    lead = approved_organization(admin=proposer)
    project = project_propose(user=proposer, lead_organization=lead, title="Huerto")
    language_preference_set(user=proposer, language="es")
    with translation.override("ca"), django_capture_on_commit_callbacks(execute=True):
        project_reject(project=project, user=editor(), comment="Falta el presupuesto.")
    notification = Notification.objects.get(user=proposer, kind="projects.rejected")
    assert notification.title == "Tu proyecto «Huerto» necesita cambios"
    assert notification.body.endswith("Comentario: Falta el presupuesto.")


def test_changes_requested_with_no_reason_says_so_in_the_applicants_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    applicant = UserFactory(username="ana")
    organization = organization_apply(user=applicant, title="Colectivo Ríos")
    language_preference_set(user=applicant, language="es")
    mailoutbox.clear()
    with translation.override("ca"), django_capture_on_commit_callbacks(execute=True):
        organization_reject(organization=organization, user=editor(), comment="")
    notification = Notification.objects.get(
        user=applicant, kind="partners.organization_changes_requested"
    )
    assert notification.title == "Cambios solicitados para Colectivo Ríos"
    assert "La persona revisora no ha indicado ningún motivo" in notification.body
    [email] = mailoutbox
    assert (email.subject, email.body.split("\n\n")[0]) == (
        notification.title,
        notification.body.split("\n\n")[0],
    )


def test_chat_mention_is_in_the_language_of_the_person_mentioned(
    django_capture_on_commit_callbacks, mailoutbox
):
    coordinator = UserFactory(username="clara", first_name="Clara", last_name="Vidal")
    member = UserFactory(username="marta", first_name="Marta", last_name="Puig")
    project, _partner, member = project_with_partner_on_team(
        coordinator=coordinator, member=member
    )
    language_preference_set(user=coordinator, language="es")
    mailoutbox.clear()
    with translation.override("ca"), django_capture_on_commit_callbacks(execute=True):
        message_send(project_id=project.pk, author=member, body="@clara mira", client_id="m1")
    notification = Notification.objects.get(user=coordinator, kind="chat.mention")
    assert notification.title == f"Marta Puig te ha mencionado en {project.title}"
    assert [m.subject for m in mailoutbox] == [notification.title]


@pytest.mark.parametrize("size", [3, 30])
def test_notifying_many_people_reads_their_languages_in_one_query(size):
    people = [UserFactory(username=f"p{n}") for n in range(size)]
    for person, language in zip(people, ["es", "ca"], strict=False):
        language_preference_set(user=person, language=language)
    with CaptureQueriesContext(connection) as queries:
        notification_create_many(
            users=people + people[:2],  # told once each
            kind="projects.approved",
            render=lambda: (translation.gettext("The editors sent it back."), ""),
            email=False,
        )
    reads = [q["sql"] for q in queries if "notifications_languagepreference" in q["sql"]]
    assert len(reads) == 1
    titles = dict(Notification.objects.values_list("user__username", "title"))
    assert titles == {
        "p0": "Los editores lo han devuelto.",
        "p1": "Els editors l'han retornat.",
    } | {f"p{n}": "The editors sent it back." for n in range(2, size)}


# --- Remembering the language -----------------------------------------------------------------


def preference(user):
    return LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()


def test_sign_in_records_the_language_the_person_uses(client):
    person = UserFactory(username="nuria")
    response = catalan(client).post("/accounts/login/", {"login": "nuria", "password": PASSWORD})
    assert response.status_code == 302
    assert preference(person) == "ca"

    # Another browser that chose Spanish with the switcher: the latest choice is remembered.
    other = type(client)()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    other.post("/accounts/login/", {"login": "nuria", "password": PASSWORD})
    assert preference(person) == "es"


def test_a_browser_that_never_chose_does_not_overwrite_the_saved_language(client):
    person = UserFactory(username="nuria")
    language_preference_set(user=person, language="ca")
    client.post(
        "/accounts/login/",
        {"login": "nuria", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9",
    )
    assert preference(person) == "ca"


def test_first_sign_in_remembers_the_browsers_language_and_keeps_it(client):
    person = UserFactory(username="nuria")
    response = client.post(
        "/accounts/login/", {"login": "nuria", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert preference(person) == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("", "/portal/"),
        ("/projects/?status=active", "/ca/projects/?status=active"),
        ("/es/partners/", "/ca/partners/"),
        ("/portal/profile/", "/portal/profile/"),
    ],
)
def test_sign_in_restores_the_saved_language(client, next_url, expected):
    person = UserFactory(username="nuria")
    language_preference_set(user=person, language="ca")
    data = {"login": "nuria", "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    # A new browser that asks for English and never used the switcher.
    response = client.post("/accounts/login/", data, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ca"
    assert response.headers["Content-Language"] == "ca"
    dashboard = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert dashboard.headers["Content-Language"] == "ca"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/ca/"


def test_sign_in_back_to_english_drops_the_prefix(client):
    person = UserFactory(username="nuria")
    language_preference_set(user=person, language="en")
    response = client.post(
        "/accounts/login/",
        {"login": "nuria", "password": PASSWORD, "next": "/es/projects/"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response["Location"] == "/projects/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_choice_made_on_this_browser_beats_the_saved_language(client):
    person = UserFactory(username="nuria")
    language_preference_set(user=person, language="es")
    response = catalan(client).post(
        "/accounts/login/", {"login": "nuria", "password": PASSWORD, "next": "/ca/partners/"}
    )
    assert response["Location"] == "/ca/partners/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert preference(person) == "ca"


def test_failed_sign_in_records_nothing(client):
    person = UserFactory(username="nuria")
    catalan(client).post("/accounts/login/", {"login": "nuria", "password": "wrong"})
    assert preference(person) is None


def test_language_switch_records_the_choice_of_a_signed_in_person(client):
    person = UserFactory(username="nuria")
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/portal/"})
    assert response.status_code == 302
    assert preference(person) == "es"
    client.post("/i18n/setlang/", {"language": "ca", "next": "/portal/"})
    assert preference(person) == "ca"


def test_language_switch_of_an_anonymous_visitor_records_nothing(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert not LanguagePreference.objects.exists()


@pytest.mark.parametrize("code", ["fr", "xx", "", "es" * 300])
def test_an_invalid_language_changes_nothing(client, code):
    person = UserFactory(username="nuria")
    language_preference_set(user=person, language="es")
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": code, "next": "/portal/"})
    assert response.status_code == 302
    assert preference(person) == "es"


def test_a_cross_site_switch_changes_nothing(client):
    person = UserFactory(username="nuria")
    client.force_login(person)
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert preference(person) is None


def test_the_export_tells_the_person_their_language(client):
    person = UserFactory(username="nuria")
    language_preference_set(user=person, language="ca")
    client.force_login(person)
    data = client.get(reverse("privacy:export")).json()
    assert data["language_preference"]["language"] == "ca"
