"""Every notification is named by the app that sent it, and its person reads them all.

/portal/notifications/ lists the signed-in person's notifications of every kind (partners,
projects, chat) with their titles and links; opening one marks it read, "Mark all read" marks
them all; the unread count is in every template's context. Nobody sees or marks another's.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import RequestFactory
from django.urls import reverse

from chat import notification_kinds as chat_kinds
from notifications.context_processors import unread_notifications
from notifications.kinds import notification_kinds
from notifications.models import Notification
from notifications.services import notification_create
from partners import notification_kinds as partners_kinds
from projects import notification_kinds as projects_kinds
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("portal:notification_list")
READ_ALL = reverse("portal:notification_read_all")


def notify(user, kind, title, url=""):
    return notification_create(
        user=user, kind=kind, render=lambda: (title, ""), url=url, email=False, language="en"
    )


def open_url(notification):
    return reverse("portal:notification_open", args=[notification.pk])


@pytest.fixture
def marta():
    return UserFactory(username="marta")


@pytest.fixture
def three(marta):
    """One notification of each app's, oldest first."""
    return [
        notify(marta, partners_kinds.ORGANIZATION_APPROVED, "Org approved", "/portal/"),
        notify(marta, projects_kinds.INVITATION, "Invited to a project", "/portal/projects/1/"),
        notify(marta, chat_kinds.MENTION, "Clara mentioned you", "/portal/projects/1/chat/"),
    ]


# --- Kinds ------------------------------------------------------------------------------------


def test_every_kind_is_named_by_the_app_that_declares_it():
    declared = notification_kinds()
    for module in (partners_kinds, projects_kinds, chat_kinds):
        app = module.__name__.split(".")[0]
        assert module.LABELS, app
        for kind in module.LABELS:
            assert kind.startswith(f"{app}.") and declared[kind] == module.LABELS[kind]


@pytest.mark.parametrize("kind", ["organization_approved", "project.invitation", "chat.nope"])
def test_an_undeclared_kind_is_refused(marta, kind):
    with pytest.raises(ValueError, match="notification kind"):
        notify(marta, kind, "Nobody would show this")
    assert not Notification.objects.exists()


def test_the_migration_names_old_rows_by_their_app(marta):
    migration = importlib.import_module("notifications.migrations.0003_namespace_kinds")
    old = [
        "organization_approved",
        "organization_changes_requested",
        "organization_invitation_accepted",
        "project.invitation",
        "project.team_added",
        "chat.mention",
    ]
    rows = Notification.objects.bulk_create(
        [Notification(user=marta, kind=kind, title=kind) for kind in old]
    )
    migration.namespace(django_apps, None)
    new = {row.title: row.kind for row in Notification.objects.all()}
    assert new == {
        "organization_approved": "partners.organization_approved",
        "organization_changes_requested": "partners.organization_changes_requested",
        "organization_invitation_accepted": "partners.invitation_accepted",
        "project.invitation": "projects.invitation",
        "project.team_added": "projects.team_added",
        "chat.mention": "chat.mention",
    }
    assert set(new.values()) <= set(notification_kinds())
    migration.unnamespace(django_apps, None)
    assert sorted(Notification.objects.values_list("kind", flat=True)) == sorted(old)
    assert len(rows) == len(old)


# --- The list ---------------------------------------------------------------------------------


def test_list_permitted_shows_every_kind(client, marta, three):
    client.force_login(marta)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for notification in three:
        assert notification.title in html
        assert open_url(notification) in html
    for label in ("Organization approved", "Invitation to a project", "Mention in a chat"):
        assert label in html
    # Newest first.
    assert html.index("Clara mentioned you") < html.index("Org approved")
    assert response.context["unread_notifications_count"] == 3


def test_list_denied_to_a_visitor(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_list_shows_nobody_else_s(client, marta, three):
    other = UserFactory(username="other")
    client.force_login(other)
    html = client.get(LIST).content.decode()
    assert all(notification.title not in html for notification in three)
    assert "You have no notifications yet." in html


@pytest.mark.parametrize("rows", [3, 50])
def test_list_queries_do_not_grow_with_rows(client, marta, rows, django_assert_max_num_queries):
    for number in range(rows):
        notify(marta, projects_kinds.TEAM_ADDED, f"Team {number}", "/portal/")
    client.force_login(marta)
    with django_assert_max_num_queries(7):
        response = client.get(LIST)
    assert response.status_code == 200
    shown = [item for _title, items in response.context["groups"] for item in items]
    assert len(shown) == min(rows, 25)


# --- Opening one, marking all read ------------------------------------------------------------


def test_open_permitted_marks_read_and_follows_the_link(client, marta, three):
    mention = three[2]
    client.force_login(marta)
    response = client.get(open_url(mention))
    assert response.status_code == 302 and response.url == "/portal/projects/1/chat/"
    mention.refresh_from_db()
    assert mention.read_at is not None
    assert Notification.objects.filter(user=marta, read_at__isnull=True).count() == 2
    assert client.get(LIST).context["unread_notifications_count"] == 2


def test_open_denied_for_someone_else_s(client, marta, three):
    client.force_login(UserFactory(username="other"))
    assert client.get(open_url(three[0])).status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_open_denied_to_a_visitor(client, three):
    response = client.get(open_url(three[0]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not Notification.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("url", ["", "https://evil.example/", "//evil.example/x"])
def test_open_without_a_safe_link_returns_to_the_list(client, marta, url):
    notification = notify(marta, chat_kinds.MENTION, "Hi", url)
    client.force_login(marta)
    response = client.get(open_url(notification))
    assert response.status_code == 302 and response.url == LIST


def test_mark_all_read_permitted(client, marta, three):
    other = UserFactory(username="other")
    theirs = notify(other, chat_kinds.MENTION, "Theirs")
    client.force_login(marta)
    response = client.post(READ_ALL, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert not Notification.objects.filter(user=marta, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert response.context["unread_notifications_count"] == 0
    assert "Mark all read" not in response.content.decode()


def test_mark_all_read_denied_to_a_visitor_and_to_get(client, marta, three):
    response = client.post(READ_ALL)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(marta)
    assert client.get(READ_ALL).status_code == 405
    assert Notification.objects.filter(user=marta, read_at__isnull=True).count() == 3


# --- The unread count in every template -------------------------------------------------------


def test_unread_count_shows_in_the_site_navigation(client, marta, three):
    client.force_login(marta)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{LIST}"' in html
    assert '<span class="badge">3<span class="visually-hidden"> unread</span></span>' in html


def test_unread_count_costs_a_visitor_nothing(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notifications(request)["unread_notifications_count"] == 0


def test_unread_count_is_counted_only_when_used(marta, three, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = marta
    with django_assert_num_queries(0):
        count = unread_notifications(request)["unread_notifications_count"]
    with django_assert_num_queries(1):
        assert int(count) == 3
