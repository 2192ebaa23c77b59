"""Chat services: seq allocation under concurrency, idempotency, mentions, unread counts."""

import threading

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction

from chat import presence, selectors
from chat.models import Mention, Message
from chat.services import (
    ChatError,
    message_delete,
    message_edit,
    message_send,
    read_marker_set,
)
from notifications.models import Notification
from projects.services import team_add
from tests.chat.conftest import seed_messages
from tests.factories import UserFactory
from tests.services import require_postgres
from tests.utils import approved_project

pytestmark = pytest.mark.django_db

# Senders on threads of their own, and e-mails sent on commit, need the data committed.
committed = pytest.mark.django_db(transaction=True)


def run_senders(project, authors, per_thread, duplicate_every=0):
    errors = []
    barrier = threading.Barrier(len(authors))

    def work(author, index):
        try:
            barrier.wait()
            for n in range(per_thread):
                client_id = f"t{index}-{n}"
                message_send(project_id=project.pk, author=author, body="x", client_id=client_id)
                if duplicate_every and n % duplicate_every == 0:
                    message_send(
                        project_id=project.pk, author=author, body="x", client_id=client_id
                    )
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(author, index)) for index, author in enumerate(authors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


@committed
def test_concurrent_senders_never_share_a_seq(team):
    authors = [team.member, team.coordinator] * 3
    run_senders(team.project, authors, per_thread=15)
    seqs = list(Message.objects.filter(project=team.project).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, 91))
    assert selectors.last_seq(project_id=team.project.pk) == 90


@committed
def test_concurrent_senders_on_postgresql_with_resends(team):
    require_postgres()
    authors = [team.member, team.coordinator] * 4
    run_senders(team.project, authors, per_thread=25, duplicate_every=5)
    rows = list(Message.objects.filter(project=team.project).values_list("seq", "client_id"))
    assert sorted(seq for seq, _ in rows) == list(range(1, 201))
    assert len({client_id for _, client_id in rows}) == 200  # every resend stored once


def test_resend_returns_the_stored_message(team):
    first, created = message_send(
        project_id=team.project.pk, author=team.member, body="hi", client_id="abc"
    )
    again, created_again = message_send(
        project_id=team.project.pk, author=team.member, body="changed?", client_id="abc"
    )
    assert created and not created_again
    assert (again.pk, again.seq, again.body) == (first.pk, 1, "hi")
    # Another author may use the same client id.
    other, created_other = message_send(
        project_id=team.project.pk, author=team.coordinator, body="hi", client_id="abc"
    )
    assert created_other and other.seq == 2


def test_body_rules(team):
    for body, code in (("", "empty"), ("  \n", "empty"), ("x" * 4001, "too_long"), (3, "invalid")):
        with pytest.raises(ChatError) as info:
            message_send(project_id=team.project.pk, author=team.member, body=body, client_id="c")
        assert info.value.code == code
    message, _ = message_send(
        project_id=team.project.pk, author=team.member, body=" a\x00b ", client_id="c"
    )
    assert message.body == "ab"
    assert Message.objects.count() == 1


@committed
def test_mentions_notify_team_members_and_mail_only_the_offline(team):
    outsider = team.outsider
    body = f"@clara and @{outsider.username} and @nobody, look. Also @marta."
    mail.outbox.clear()
    message, _ = message_send(
        project_id=team.project.pk, author=team.member, body=body, client_id="m1"
    )
    # Only the team member is mentioned; the author naming themself is not.
    assert message.mentions == [team.coordinator.pk]
    assert list(Mention.objects.values_list("user_id", "seq")) == [(team.coordinator.pk, 1)]
    notification = Notification.objects.get(user=team.coordinator, kind="chat.mention")
    assert notification.kind == "chat.mention"
    assert notification.url == f"/portal/projects/{team.project.pk}/chat/"
    assert [m.to for m in mail.outbox] == [[team.coordinator.email]]

    # Online people get the in-app notification but no e-mail.
    mail.outbox.clear()
    from tests.chat.live import run

    user = {"id": team.coordinator.pk, "username": "clara", "name": "Clara Vidal"}
    run(presence.join(team.project.pk, user, "socket-1"))
    message_send(project_id=team.project.pk, author=team.member, body="@clara!", client_id="m2")
    assert Notification.objects.filter(user=team.coordinator, kind="chat.mention").count() == 2
    assert mail.outbox == []


def test_edit_adds_new_mentions_and_delete_drops_them(team, settings):
    message_send(project_id=team.project.pk, author=team.member, body="hello", client_id="e1")
    edited = message_edit(project_id=team.project.pk, user=team.member, seq=1, body="hi @clara")
    assert edited.mentions == [team.coordinator.pk] and edited.edited_at
    assert Mention.objects.count() == 1
    with pytest.raises(ChatError) as info:
        message_edit(project_id=team.project.pk, user=team.coordinator, seq=1, body="mine")
    assert info.value.code == "forbidden"
    settings.CHAT_EDIT_WINDOW_SECONDS = 0
    with pytest.raises(ChatError) as info:
        message_edit(project_id=team.project.pk, user=team.member, seq=1, body="late")
    assert info.value.code == "forbidden"
    with pytest.raises(ChatError) as info:
        message_delete(project_id=team.project.pk, user=team.outsider, seq=1)
    assert info.value.code == "forbidden"
    deleted = message_delete(project_id=team.project.pk, user=team.member, seq=1)
    assert (deleted.seq, deleted.body, deleted.mentions) == (1, "", [])
    assert Mention.objects.count() == 0
    with pytest.raises(ChatError) as info:
        message_delete(project_id=team.project.pk, user=team.member, seq=1)
    assert info.value.code == "not_found"


def test_unread_and_mention_counts_for_many_projects_in_one_query(team, django_assert_num_queries):
    other = approved_project(coordinator=team.coordinator, title="Second project")
    team_add(project=other, user=team.coordinator, organization=other.lead_organization)
    seed_messages(team.project, team.member, 5)
    message_send(project_id=team.project.pk, author=team.member, body="@clara", client_id="x1")
    message_send(project_id=other.pk, author=team.coordinator, body="own", client_id="x2")
    message_send(project_id=team.project.pk, author=team.coordinator, body="own", client_id="x3")
    message_delete(project_id=team.project.pk, user=team.member, seq=2)
    read_marker_set(project_id=team.project.pk, user=team.coordinator, seq=1)
    ids = [team.project.pk, other.pk]
    with django_assert_num_queries(2):
        counts = selectors.unread_counts(user=team.coordinator, project_ids=ids)
    # Seqs 2..6 are the member's after the marker; 2 is deleted; 7 is the coordinator's own.
    assert counts == {
        team.project.pk: {"unread": 4, "more": False, "mentions": 1},
        other.pk: {"unread": 0, "more": False, "mentions": 0},
    }
    read_marker_set(project_id=team.project.pk, user=team.coordinator, seq=6)
    read_marker_set(project_id=team.project.pk, user=team.coordinator, seq=3)  # never back
    counts = selectors.unread_counts(user=team.coordinator, project_ids=ids)
    assert counts[team.project.pk] == {"unread": 0, "more": False, "mentions": 0}


def test_unread_counts_query_count_does_not_grow(team, django_assert_max_num_queries):
    projects = [team.project]
    for index in range(4):
        project = approved_project(coordinator=team.coordinator, title=f"P{index}")
        projects.append(project)
        seed_messages(project, team.coordinator, 3, prefix=f"p{index}-")
    user = UserFactory()
    with django_assert_max_num_queries(2):
        selectors.unread_counts(user=user, project_ids=[p.pk for p in projects[:1]])
    with django_assert_max_num_queries(2):
        selectors.unread_counts(user=user, project_ids=[p.pk for p in projects])


def test_unread_counts_stop_at_99_and_keep_older_mentions(team):
    """A room never read is counted over its last 100 messages only ("99+"); a mention before
    that window still counts."""
    message_send(project_id=team.project.pk, author=team.member, body="@clara", client_id="m0")
    seed_messages(team.project, team.member, 130)
    counts = selectors.unread_counts(user=team.coordinator, project_ids=[team.project.pk])
    assert counts[team.project.pk] == {"unread": 99, "more": True, "mentions": 1}
    read_marker_set(project_id=team.project.pk, user=team.coordinator, seq=100)
    counts = selectors.unread_counts(user=team.coordinator, project_ids=[team.project.pk])
    assert counts[team.project.pk] == {"unread": 31, "more": False, "mentions": 0}


def test_periodic_recheck_agrees_with_can_chat_in_one_query(team, django_assert_num_queries):
    from chat.services import chat_allowed_user_ids
    from partners.services import membership_add

    superuser = UserFactory(is_superuser=True)
    gone = UserFactory()
    membership_add(organization=team.partner, user=gone)
    team_add(project=team.project, user=gone, organization=team.partner)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    people = [team.coordinator, team.member, team.outsider, superuser, gone]
    expected = {p.pk for p in people if selectors.can_chat(p, team.project)}
    assert expected == {team.coordinator.pk, team.member.pk, superuser.pk}
    ids = {p.pk for p in people}
    assert chat_allowed_user_ids(project_id=team.project.pk, user_ids=ids) == expected
    with django_assert_num_queries(1):
        assert selectors.chat_user_ids(project=team.project, user_ids=ids) == expected
    assert chat_allowed_user_ids(project_id=999_999, user_ids=ids) == set()


@committed
def test_mention_notifications_come_after_the_commit_outside_the_seq_lock(team):
    """Issue 16: a mention's notification is written once the message is committed (another
    connection sees it) and the room's row lock is released (another sender could take the
    next seq at that moment), on a send and on an edit."""
    require_postgres()
    from django.db import connections
    from django.db.models.signals import post_save

    from chat.models import ChatRoom

    seen = []

    def from_another_connection(project_id):
        try:
            with transaction.atomic():
                locked = (
                    ChatRoom.objects.select_for_update(nowait=True)
                    .filter(project_id=project_id)
                    .exists()
                )
            bodies = list(
                Message.objects.filter(project_id=project_id).values_list("body", flat=True)
            )
            return locked, bodies
        except DatabaseError as exc:
            return str(exc), None
        finally:
            connections.close_all()

    def recorder(sender, instance, created, **kwargs):
        if created and instance.kind == "chat.mention":
            result = {}
            thread = threading.Thread(
                target=lambda: result.update(value=from_another_connection(team.project.pk))
            )
            thread.start()
            thread.join(10)
            seen.append((connection.in_atomic_block, result.get("value")))

    post_save.connect(recorder, sender=Notification, dispatch_uid="test-mention-after-commit")
    try:
        message_send(
            project_id=team.project.pk, author=team.member, body="@clara mira", client_id="m1"
        )
        message_send(
            project_id=team.project.pk, author=team.coordinator, body="hola", client_id="c1"
        )
        message_edit(project_id=team.project.pk, user=team.coordinator, seq=2, body="hola @marta")
    finally:
        post_save.disconnect(sender=Notification, dispatch_uid="test-mention-after-commit")
    assert seen == [
        (False, (True, ["@clara mira"])),
        (False, (True, ["@clara mira", "hola @marta"])),
    ]


def test_opening_a_chat_says_what_the_permission_checks_say_in_one_round(
    team, django_assert_max_num_queries
):
    """A socket's connect asks the permission tables once (not once per check): the answers
    are those of ``chat_page_project`` and ``project_access`` for every kind of person."""
    from chat.services import ChatForbidden, ProjectMissing, chat_open
    from partners.services import membership_add

    superuser = UserFactory(is_superuser=True)
    gone = UserFactory()
    membership_add(organization=team.partner, user=gone)
    team_add(project=team.project, user=gone, organization=team.partner)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    seed_messages(team.project, team.member, 3)
    read_marker_set(project_id=team.project.pk, user=team.member, seq=2)
    for person in (team.coordinator, team.member, team.outsider, superuser, gone):
        person = type(person).objects.get(pk=person.pk)  # no permission cache
        _project, status = selectors.chat_page_project(user=person, project_id=team.project.pk)
        if status == "ok":
            person = type(person).objects.get(pk=person.pk)
            with django_assert_max_num_queries(2):
                state = chat_open(user=person, project_id=team.project.pk)
            person = type(person).objects.get(pk=person.pk)
            _allowed, coordinates = selectors.project_access(user=person, project=team.project)
            assert state["can_coordinate"] == coordinates
            assert state["last_seq"] == 3
            assert len(state["messages"]) == 3
        else:
            with pytest.raises(ChatForbidden):
                chat_open(user=person, project_id=team.project.pk)
    assert chat_open(user=team.member, project_id=team.project.pk)["read_seq"] == 2
    assert chat_open(user=team.coordinator, project_id=team.project.pk)["read_seq"] == 0
    assert chat_open(user=superuser, project_id=team.project.pk)["can_coordinate"] is True
    assert chat_open(user=team.member, project_id=team.project.pk)["can_coordinate"] is False
    with pytest.raises(ProjectMissing):
        chat_open(user=team.member, project_id=999_999)


def test_messages_read_as_rows_are_the_protocols_messages(team):
    """History, catching up and the hello read plain rows, not model instances: each message
    comes out exactly as ``events.message_dict`` makes it (edited, deleted, with mentions,
    and with no author after the account was deleted)."""
    from chat import events

    seed_messages(team.project, team.member, 4)
    message_send(
        project_id=team.project.pk, author=team.coordinator, body="hi @marta", client_id="men"
    )
    message_edit(project_id=team.project.pk, user=team.member, seq=2, body="changed")
    message_delete(project_id=team.project.pk, user=team.member, seq=3, as_coordinator=False)
    nameless = UserFactory(first_name="", last_name="")
    Message.objects.filter(project=team.project, seq=4).update(author=nameless)
    Message.objects.filter(project=team.project, seq=1).update(author=None)
    expected = [
        events.message_dict(message)
        for message in Message.objects.filter(project=team.project)
        .select_related("author")
        .order_by("seq")
    ]
    assert expected[4]["mentions"] and expected[2]["deleted"] and expected[1]["edited_at"]
    assert expected[0]["author"] is None and expected[3]["author"]["name"] == nameless.username
    assert selectors.message_latest(project_id=team.project.pk) == expected
    assert selectors.message_latest(project_id=team.project.pk, limit=2) == expected[3:]
    assert selectors.message_history(project_id=team.project.pk, before=4, limit=2) == (
        expected[1:3],
        True,
    )
    assert selectors.message_sync(project_id=team.project.pk, after=3) == (expected[3:], False)
