"""GDPR: consent at sign-up, the data export, account deletion."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from chat.models import ChatRoom, Mention, Message
from notifications.models import Notification
from notifications.services import notification_create
from partners.models import Invitation, Membership
from partners.services import membership_add
from privacy.models import Consent
from privacy.services import consent_record
from projects.models import TeamMembership
from tests.factories import PASSWORD, UserFactory
from tests.privacy.test_registrations import EXPORT_QUERIES  # one bound for every export test
from tests.utils import approved_organization, project_with_partner_on_team

pytestmark = pytest.mark.django_db

User = get_user_model()


def post_message(project, author, body):
    room, _ = ChatRoom.objects.get_or_create(project=project)
    room.last_seq += 1
    room.save()
    return Message.objects.create(
        project=project, seq=room.last_seq, author=author, body=body, client_id=f"c{room.last_seq}"
    )


# --- Consent at sign-up -----------------------------------------------------------------------


def signup(client, **extra):
    data = {
        "first_name": "Núria",
        "last_name": "Serra",
        "email": "nuria@example.org",
        "username": "nuria",
        "password1": "Un-bon-secret-2026",
        "password2": "Un-bon-secret-2026",
        **extra,
    }
    return client.post("/accounts/signup/", data)


def test_sign_up_records_consent_with_the_notice_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-test"
    response = signup(client, consent="on")
    assert response.status_code == 302
    consent = Consent.objects.get(user__username="nuria")
    assert consent.notice_version == "2026-test"
    assert consent.given_at is not None


def test_sign_up_without_consent_is_refused_and_stores_nothing(client):
    response = signup(client)
    assert response.status_code == 200
    assert "please read and accept the privacy notice" in response.content.decode()
    assert not User.objects.filter(username="nuria").exists()
    assert not Consent.objects.exists()


@pytest.mark.parametrize("value", ["0", "no", "false", "off", "", "yes please"])
def test_sign_up_counts_only_a_ticked_box_as_consent(client, value):
    response = signup(client, consent=value)
    assert response.status_code == 200
    assert "please read and accept the privacy notice" in response.content.decode()
    assert not User.objects.filter(username="nuria").exists()
    assert not Consent.objects.exists()


def test_sign_up_form_links_to_the_privacy_notice(client):
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="consent"' in html
    assert f'href="{reverse("privacy:notice")}"' in html


def test_privacy_notice_is_public_and_shows_its_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-test"
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "Version 2026-test" in response.content.decode()


def test_privacy_page_needs_sign_in(client):
    for name in ("privacy:privacy", "privacy:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("privacy:delete"), {"password": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_portal_links_to_the_privacy_page(client):
    client.force_login(UserFactory())
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{reverse("privacy:privacy")}"' in html


# --- Export -----------------------------------------------------------------------------------


@pytest.fixture
def two_people():
    """Two people on the same project team, each with data of every kind."""
    project, partner, zoe = project_with_partner_on_team(
        member=UserFactory(
            username="zoe_quixotic",
            first_name="Zoelle",
            last_name="Quarrington",
            email="zoe.quixotic@example.org",
        )
    )
    other = project.team.exclude(user=zoe).get().user  # the coordinator
    membership_add(organization=partner, user=other)
    for person in (zoe, other):
        consent_record(user=person, notice_version="2026-01")
        title = f"For {person.username}"
        notification_create(
            user=person, kind="projects.team_added", render=lambda t=title: (t, "b"), email=False
        )
    post_message(project, zoe, "Zoe writes here")
    post_message(project, other, "Other writes here")
    post_message(project, zoe, "Zoe again")
    return project, partner, zoe, other


def export(client, user):
    client.force_login(user)
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_export_contains_exactly_the_persons_data(client, two_people):
    project, partner, zoe, other = two_people
    data = export(client, zoe)
    assert data["profile"]["username"] == "zoe_quixotic"
    assert data["profile"]["email"] == "zoe.quixotic@example.org"
    assert [a["email"] for a in data["email_addresses"]] == ["zoe.quixotic@example.org"]
    assert [(m["organization"]["id"], m["role"]) for m in data["memberships"]] == [
        (partner.pk, "member")
    ]
    assert [t["project"]["id"] for t in data["team_memberships"]] == [project.pk]
    assert [n["title"] for n in data["notifications"]] == ["For zoe_quixotic"]
    assert [m["body"] for m in data["chat_messages"]] == ["Zoe writes here", "Zoe again"]
    assert [c["notice_version"] for c in data["consents"]] == ["2026-01"]
    text = json.dumps(data)
    for foreign in (other.username, other.email, other.last_name, "Other writes here"):
        assert foreign not in text


def test_export_query_count_does_not_grow_with_the_data(
    client, two_people, django_assert_max_num_queries
):
    project, partner, zoe, other = two_people
    client.force_login(zoe)
    with django_assert_max_num_queries(EXPORT_QUERIES):
        client.get(reverse("privacy:export"))
    for n in range(50):
        post_message(project, zoe, f"more {n}")
        notification_create(
            user=zoe, kind="projects.team_added", render=lambda n=n: (f"n{n}", ""), email=False
        )
    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = client.get(reverse("privacy:export"))
    assert len(json.loads(response.content)["chat_messages"]) == 52


# --- Deletion ---------------------------------------------------------------------------------


def database_dump():
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def test_deletion_keeps_messages_and_removes_name_and_email_everywhere(client, two_people):
    project, partner, zoe, other = two_people
    # Others' records that name her: a mention, a notification about her, an invitation.
    mention = post_message(project, other, "Thanks @zoe_quixotic, see you Monday")
    Mention.objects.create(message=mention, user=zoe, project=project, seq=mention.seq)
    mention.mentions = [zoe.pk]
    mention.save()
    shout = post_message(project, other, "Ping @ZOE_QUIXOTIC. And @zoe_quixotic2 too")
    notification_create(
        user=other,
        kind="projects.request",
        render=lambda: (
            "Zoelle Quarrington joined the team",
            "Write to zoe.quixotic@example.org",
        ),
        email=False,
    )
    Invitation.objects.create(organization=partner, email="Zoe.Quixotic@example.org")
    needles = ["zoe_quixotic", "zoelle", "quarrington", "zoe.quixotic@example.org"]
    assert all(needle in database_dump() for needle in needles)  # the test can fail
    messages_before = Message.objects.filter(project=project).count()

    client.force_login(zoe)
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"

    assert not User.objects.filter(pk=zoe.pk).exists()
    assert Message.objects.filter(project=project).count() == messages_before
    assert Message.objects.filter(project=project, author=None).count() == 2
    mention.refresh_from_db()
    assert mention.body == "Thanks @former member, see you Monday"
    assert mention.mentions == []
    shout.refresh_from_db()
    assert shout.body == "Ping @former member. And @zoe_quixotic2 too"
    assert Notification.objects.get(user=other, kind="projects.request").title == (
        "former member joined the team"
    )
    dump = database_dump().replace("@zoe_quixotic2", "")  # someone else
    assert [needle for needle in needles if needle in dump] == []
    # Her team place and membership went through the owning apps: the grants are gone too.
    assert not TeamMembership.objects.filter(project=project, user_id=zoe.pk).exists()
    assert not Membership.objects.filter(user_id=zoe.pk).exists()
    assert other.has_perm("projects.enter_workspace", project)


def test_deleted_person_is_signed_out(client, two_people):
    project, partner, zoe, other = two_people
    client.force_login(zoe)
    client.post(reverse("privacy:delete"), {"password": PASSWORD})
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_last_admin_of_an_organization_cannot_delete_their_account(client):
    admin = UserFactory(username="onlyadmin")
    organization = approved_organization(admin=admin, title="Fundació Sola")
    client.force_login(admin)
    page = client.get(reverse("privacy:privacy")).content.decode()
    assert "You are the only administrator of Fundació Sola" in page
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "You are the only administrator of Fundació Sola" in response.content.decode()
    assert User.objects.filter(pk=admin.pk).exists()
    assert Membership.objects.filter(user=admin, organization=organization).exists()


def test_an_admin_with_a_co_admin_may_delete_their_account(client):
    admin, co_admin = UserFactory(), UserFactory()
    organization = approved_organization(admin=admin)
    membership_add(organization=organization, user=co_admin, role=Membership.Role.ADMIN)
    client.force_login(admin)
    assert client.post(reverse("privacy:delete"), {"password": PASSWORD}).status_code == 302
    assert list(organization.memberships.values_list("user_id", flat=True)) == [co_admin.pk]


def test_wrong_password_deletes_nothing(client, two_people):
    project, partner, zoe, other = two_people
    client.force_login(zoe)
    response = client.post(reverse("privacy:delete"), {"password": "not-my-password"})
    assert response.status_code == 400
    assert "That is not your current password" in response.content.decode()
    assert User.objects.filter(pk=zoe.pk).exists()
    assert TeamMembership.objects.filter(user=zoe).exists()


def test_superuser_cannot_delete_their_account_here(client):
    boss = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(boss)
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=boss.pk).exists()


def test_password_guessing_on_the_delete_form_is_rate_limited(client, settings):
    settings.CLUSTER_RATE_LIMITS = {**settings.CLUSTER_RATE_LIMITS, "account_delete": "3/h"}
    client.force_login(UserFactory())
    statuses = [
        client.post(reverse("privacy:delete"), {"password": f"guess{n}"}).status_code
        for n in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
