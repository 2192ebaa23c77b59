"""The notification centre: the bell's count is cached (at most one query a page), the list
costs the same whatever the number of rows, one notification or all can be marked read, and
each person's preference decides whether a kind is shown, e-mailed at once or kept for the
digest. Mail here runs through the immediate task backend; test_mail_queue runs the worker."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.context_processors import unread_notifications
from notifications.kinds import kind_default, notification_kinds
from notifications.models import Channel, KindPreference, Notification, OutgoingMail
from notifications.services import (
    notification_create,
    notification_create_many,
    notification_mark_read,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("portal:notification_list")
PREFERENCES = reverse("portal:notification_preferences")


def notify(user, kind="projects.team_added", title="Joined", url="/portal/", email=True):
    return notification_create(
        user=user, kind=kind, render=lambda: (title, "Body"), url=url, email=email, language="en"
    )


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def marta():
    return UserFactory(username="marta", email="marta@example.org")


@pytest.fixture
def pau():
    return UserFactory(username="pau", email="pau@example.org")


def bell(user):
    request = RequestFactory().get("/")
    request.user = user
    return int(unread_notifications(request)["unread_notifications_count"])


# --- The bell -----------------------------------------------------------------------------------


def test_the_bell_counts_once_then_reads_the_cache(marta, django_assert_num_queries):
    notify(marta)
    with django_assert_num_queries(1):
        assert bell(marta) == 1
    with django_assert_num_queries(0):
        assert bell(marta) == 1


def test_the_bell_is_told_when_a_notification_comes_or_is_read(
    marta, django_capture_on_commit_callbacks
):
    assert bell(marta) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notify(marta)
        notify(marta, title="Second")
    assert bell(marta) == 2
    with django_capture_on_commit_callbacks(execute=True):
        notification_mark_read(user=marta)
    assert bell(marta) == 0


def test_a_page_costs_no_count_once_the_bell_is_cached(client, marta):
    for _ in range(3):
        notify(marta)
    client.force_login(marta)
    client.get(PREFERENCES)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PREFERENCES)
    assert b'class="bell"' in response.content and b'class="badge">3<' in response.content
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "notification" in q["sql"]]
    assert counts == []


def test_a_visitor_has_no_bell(client):
    response = client.get("/")
    assert b'class="bell"' not in response.content


# --- The list -----------------------------------------------------------------------------------


def test_the_list_costs_the_same_whatever_the_number(client, marta, django_assert_max_num_queries):
    client.force_login(marta)
    notify(marta)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(30):
        notify(marta, title=f"Number {number}")
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST)
    assert response.status_code == 200
    assert b"Number 29" in response.content


def test_a_visitor_is_sent_to_sign_in(client):
    for url in (LIST, PREFERENCES):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_one_notification_is_marked_read_by_its_person_only(client, marta, pau):
    mine, other = notify(marta), notify(pau)
    client.force_login(marta)
    response = client.post(reverse("portal:notification_read_one", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    response = client.post(reverse("portal:notification_read_one", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_one_read_needs_a_sign_in_and_a_post(client, marta):
    mine = notify(marta)
    url = reverse("portal:notification_read_one", args=[mine.pk])
    assert "/accounts/login/" in client.post(url)["Location"]
    client.force_login(marta)
    assert client.get(url).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_every_kind_reaches_the_centre_and_can_be_marked_read(client, marta):
    for kind in notification_kinds():
        notify(marta, kind=kind, title=f"About {kind}")
    client.force_login(marta)
    content = client.get(f"{LIST}?page=1").content.decode()
    assert Notification.objects.filter(user=marta).count() == len(notification_kinds())
    client.post(reverse("portal:notification_read_all"))
    assert not Notification.objects.filter(user=marta, read_at__isnull=True).exists()
    assert "About" in content


# --- Preferences decide ---------------------------------------------------------------------


def test_defaults_mail_invitations_and_decisions_at_once_and_keep_the_rest_for_the_digest():
    assert kind_default("projects.invitation") == Channel.EMAIL
    assert kind_default("projects.approved") == Channel.EMAIL
    assert kind_default("resources.booking_declined") == Channel.EMAIL
    assert kind_default("chat.mention") == Channel.EMAIL
    assert kind_default("knowledge.item") == Channel.DIGEST
    assert kind_default("projects.team_added") == Channel.DIGEST


@pytest.mark.parametrize(
    ("channel", "shown", "mailed"),
    [
        (Channel.OFF, False, False),
        (Channel.APP, True, False),
        (Channel.DIGEST, True, False),
        (Channel.EMAIL, True, True),
    ],
)
def test_each_persons_choice_is_respected(
    marta, pau, mailoutbox, django_capture_on_commit_callbacks, channel, shown, mailed
):
    KindPreference.objects.create(user=marta, kind="projects.invitation", channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        notification_create_many(
            users=[marta, pau], kind="projects.invitation", render=lambda: ("Invited", "Body")
        )
    assert Notification.objects.filter(user=marta).exists() is shown
    assert Notification.objects.filter(user=pau).exists()  # pau keeps the default: at once
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["pau@example.org"] + (["marta@example.org"] if mailed else [])
    )


def test_a_person_looking_already_is_not_mailed(
    marta, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(marta, kind="chat.mention", email=False)
    assert Notification.objects.filter(user=marta).exists()
    assert mailoutbox == []


def test_the_mail_speaks_html_and_text_with_a_one_click_unsubscribe(
    marta, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(marta, kind="projects.invitation", title="Invited to Pont", url="/portal/x/")
    (message,) = mailoutbox
    assert message.subject == "Invited to Pont"
    assert f"{settings.WAGTAILADMIN_BASE_URL}/portal/x/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Invited to Pont" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/portal/notifications/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body
    assert OutgoingMail.objects.get().status == "sent"
    assert Notification.objects.get().emailed_at is not None


def test_a_signed_in_page_loads_the_live_bell_and_a_visitor_s_does_not(client, marta):
    client.force_login(marta)
    html = client.get(LIST).content.decode()
    assert 'data-live="/ws/notifications/"' in html
    assert "js/bell.js" in html
    client.logout()
    assert "js/bell.js" not in client.get("/").content.decode()
