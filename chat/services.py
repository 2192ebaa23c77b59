"""Every write of the chat: open a room, send, edit, delete, read markers, mentions.

Synchronous on purpose: the consumer calls each of them through one ``database_sync_to_async``
hop per frame, so a send is one thread hop and one short transaction. Permissions are checked
by the caller once per socket (``selectors.chat_access``) and passed in; nothing here
queries guardian on the per-message path.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.selectors import notification_languages
from notifications.services import notification_create
from projects.models import ProjectPage, TeamMembership

from . import frames, notification_kinds, presence, redis_clients, selectors
from .models import ChatRoom, Mention, Message, ReadMarker

logger = logging.getLogger(__name__)

BODY_MAX = 4000
CLIENT_ID_MAX = frames.CLIENT_ID_MAX
MENTION_RE = re.compile(r"(?<![\w@])@([\w.@+-]{1,150})")


class ChatError(Exception):
    """A refused chat action: ``code`` is the protocol's error code, nothing was changed."""

    def __init__(self, code, detail):
        super().__init__(detail)
        self.code = code
        self.detail = detail


class ProjectMissing(Exception):
    pass


class ChatForbidden(Exception):
    pass


def clean_body(body):
    """The body as stored, or ChatError(invalid | too_long | empty)."""
    if not isinstance(body, str):
        raise ChatError("invalid", _("The message must be text."))
    if not frames.is_text(body):  # lone surrogates: no database stores them
        raise ChatError("invalid", _("The message is not valid text."))
    # PostgreSQL cannot store NUL characters; they carry no meaning in a chat.
    body = body.replace("\x00", "").strip()
    if len(body) > BODY_MAX:
        raise ChatError(
            "too_long", _("A message can have at most %(max)d characters.") % {"max": BODY_MAX}
        )
    if not body:
        raise ChatError("empty", _("The message is empty."))
    return body


def clean_client_id(client_id):
    if not frames.valid_client_id(client_id):
        raise ChatError(
            "invalid", _("Each message needs a client_id of 1 to 64 printable characters.")
        )
    return client_id


def chat_url(project_id):
    return reverse("portal:project_chat", args=[project_id])


def chat_open(*, user, project_id, known_last_seq=None):
    """Everything a socket needs at connect, in one trip to the database.

    ``messages`` is None when the room's ``last_seq`` is still ``known_last_seq``: the caller
    holds those messages already (``chat.relay`` keeps them for people joining together).

    Raises ProjectMissing (no such project, or a draft the person may not see: the same
    answer, as every page of the portal gives, so the chat tells nobody which drafts exist)
    or ChatForbidden (a project they see, but not on its team).
    """
    project, status, coordinates, state = selectors.chat_access(user=user, project_id=project_id)
    if status == "missing":
        raise ProjectMissing(project_id)
    if status == "forbidden":
        raise ChatForbidden(project_id)
    last_seq, read_seq = state or selectors.room_state(project_id=project["id"], user=user)
    return {
        "project": project,
        "can_coordinate": coordinates,
        "last_seq": last_seq,
        "read_seq": read_seq,
        "messages": (
            None
            if known_last_seq is not None and last_seq == known_last_seq
            else selectors.message_latest(project_id=project["id"])
        ),
    }


def chat_allowed_user_ids(*, project_id, user_ids):
    """Which of ``user_ids`` may still use a project's chat: the periodic re-check, in case a
    revocation event was lost (channel-layer delivery is at most once). One query per room."""
    project = ProjectPage.objects.filter(pk=project_id).first()
    if project is None:
        return set()
    return selectors.chat_user_ids(project=project, user_ids=user_ids)


def _allocate_seq(project_id):
    """The next seq of a project: the row lock taken by the UPDATE serializes senders."""
    table = ChatRoom._meta.db_table
    sql = f"UPDATE {table} SET last_seq = last_seq + 1 WHERE project_id = %s RETURNING last_seq"
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [project_id])
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        ChatRoom.objects.get_or_create(project_id=project_id)
    raise RuntimeError("chat room could not be created")


def _mention_candidates(body):
    if "@" not in body:
        return set()
    names = set()
    for match in MENTION_RE.findall(body):
        names.add(match)
        names.add(match.rstrip(".-+"))
    names.discard("")
    return names


def _mentioned_users(project_id, body, author_id):
    """Team members named with @username in ``body`` (never the author)."""
    names = _mention_candidates(body)
    if not names:
        return []
    rows = (
        TeamMembership.objects.filter(project_id=project_id, user__username__in=names)
        .exclude(user_id=author_id)
        .select_related("user")
        .order_by("user_id")
    )
    return [row.user for row in rows]


def _online_ids(project_id):
    try:
        return presence.online_user_ids_sync(project_id)
    except redis_clients.ERRORS:
        return set()


MENTION_KIND = notification_kinds.MENTION


def _record_mentions(message, author, users):
    """Mention rows (in the message's transaction: they drive the unread badges), and the
    notifications for them once that transaction has committed: out of the room's seq lock
    (the ChatRoom row stays locked until the commit), and never for a message rolled back."""
    if not users:
        return
    Mention.objects.bulk_create(
        [
            Mention(message=message, user=user, project_id=message.project_id, seq=message.seq)
            for user in users
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(lambda: _notify_mentions(message, author, users), robust=True)


def _notify_mentions(message, author, users):
    """A notification for each person mentioned; e-mail only to those not online."""
    online = _online_ids(message.project_id)
    title = ProjectPage.objects.filter(pk=message.project_id).values_list("title", flat=True)
    project_title = title.first() or ""
    name = author.get_full_name() or author.get_username()
    languages = notification_languages(users)
    for user in users:
        notification_create(
            user=user,
            kind=notification_kinds.MENTION,
            render=lambda: (
                _("%(name)s mentioned you in %(project)s")
                % {"name": name, "project": project_title},
                message.body[:500],
            ),
            url=chat_url(message.project_id),
            about=message.project_id,
            email=user.pk not in online,
            language=languages[user.pk],
        )


_SEND_SQL = """
WITH room AS (
    UPDATE {room} SET last_seq = last_seq + 1 WHERE project_id = %s RETURNING last_seq
)
INSERT INTO {message} (project_id, seq, author_id, body, client_id, mentions, created_at)
SELECT %s, room.last_seq, %s, %s, %s, '[]'::jsonb, %s FROM room
RETURNING id, seq
"""


def _send_in_one_statement(project_id, author, body, client_id):
    """PostgreSQL, no mentions: allocate the seq and insert in one statement, one round trip.

    A statement is atomic on its own: if the insert fails (a resent ``client_id``), the seq
    increment is undone with it, so seqs stay contiguous. Returns None when the room does not
    exist yet (the general path creates it).
    """
    sql = _SEND_SQL.format(room=ChatRoom._meta.db_table, message=Message._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id, project_id, author.pk, body, client_id, now])
        row = cursor.fetchone()
    if row is None:
        return None
    message = Message(
        id=row[0],
        project_id=project_id,
        seq=row[1],
        author=author,
        body=body,
        client_id=client_id,
        mentions=[],
        created_at=now,
    )
    message._state.adding = False
    message._state.db = connection.alias
    return message


def _send_in_transaction(project_id, author, body, client_id):
    with transaction.atomic():
        seq = _allocate_seq(project_id)
        mentioned = _mentioned_users(project_id, body, author.pk)
        message = Message(
            project_id=project_id,
            seq=seq,
            author=author,
            body=body,
            client_id=client_id,
            mentions=[user.pk for user in mentioned],
        )
        message.save(force_insert=True)
        _record_mentions(message, author, mentioned)
    return message


def message_send(*, project_id, author, body, client_id):
    """Store a message with the project's next seq; returns (message, created).

    The same (project, author, client_id) stores once: a resend returns the stored message
    with ``created=False``. Returning means committed.
    """
    body = clean_body(body)
    client_id = clean_client_id(client_id)
    message = None
    try:
        if connection.vendor == "postgresql" and not _mention_candidates(body):
            if connection.in_atomic_block:
                with transaction.atomic():  # a savepoint keeps the outer block usable
                    message = _send_in_one_statement(project_id, author, body, client_id)
            else:
                message = _send_in_one_statement(project_id, author, body, client_id)
        if message is None:
            message = _send_in_transaction(project_id, author, body, client_id)
    except IntegrityError:
        existing = (
            Message.objects.filter(project_id=project_id, author=author, client_id=client_id)
            .select_related("author")
            .first()
        )
        if existing is None:
            raise
        return existing, False
    return message, True


def _own_message_for_update(project_id, seq):
    message = (
        Message.objects.select_for_update(of=("self",))
        .filter(project_id=project_id, seq=seq)
        .select_related("author")
        .first()
    )
    if message is None or message.deleted_at is not None:
        raise ChatError("not_found", _("There is no such message."))
    return message


@transaction.atomic
def message_edit(*, project_id, user, seq, body):
    """Change one's own message within ``CHAT_EDIT_WINDOW_SECONDS``."""
    body = clean_body(body)
    message = _own_message_for_update(project_id, seq)
    if message.author_id != user.pk:
        raise ChatError("forbidden", _("You can only edit your own messages."))
    now = timezone.now()
    window = timedelta(seconds=settings.CHAT_EDIT_WINDOW_SECONDS)
    if message.created_at + window < now:
        raise ChatError("forbidden", _("This message can no longer be edited."))
    before = set(message.mentions or [])
    mentioned = _mentioned_users(project_id, body, user.pk)
    message.body = body
    message.edited_at = now
    message.mentions = [person.pk for person in mentioned]
    message.save(update_fields=["body", "edited_at", "mentions"])
    Mention.objects.filter(message=message).exclude(
        user_id__in=[person.pk for person in mentioned]
    ).delete()
    _record_mentions(message, user, [person for person in mentioned if person.pk not in before])
    return message


@transaction.atomic
def message_delete(*, project_id, user, seq, as_coordinator=False):
    """Soft-delete a message: it keeps its seq, loses its body. Own, or any as coordinator."""
    message = _own_message_for_update(project_id, seq)
    if message.author_id != user.pk and not as_coordinator:
        raise ChatError("forbidden", _("You can only delete your own messages."))
    message.deleted_at = timezone.now()
    message.body = ""
    message.mentions = []
    message.save(update_fields=["deleted_at", "body", "mentions"])
    Mention.objects.filter(message=message).delete()
    return message


def read_marker_set(*, project_id, user, seq):
    """Move the person's read marker forward to ``seq`` (never back, never past the end)."""
    seq = min(int(seq), selectors.last_seq(project_id=project_id))
    if seq <= 0:
        return selectors.read_seq(project_id=project_id, user=user)
    try:
        with transaction.atomic():
            marker, created = ReadMarker.objects.get_or_create(
                project_id=project_id, user=user, defaults={"seq": seq}
            )
    except IntegrityError:  # two sockets of the same person at once
        marker, created = ReadMarker.objects.get(project_id=project_id, user=user), False
    if not created and marker.seq < seq:
        ReadMarker.objects.filter(pk=marker.pk, seq__lt=seq).update(
            seq=seq, updated_at=timezone.now()
        )
        return seq
    return max(marker.seq, seq) if not created else seq
