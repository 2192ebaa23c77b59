"""Every frame and channel-layer event of the chat, built in one place (CHAT_PROTOCOL.md).

Only plain dicts and JSON text leave this module, never model instances: events cross process
boundaries through Redis, and frames go to clients written against the protocol.
"""

import json
from datetime import UTC

# Channel-layer event types (dispatched to ChatConsumer.chat_frame / chat_revoke / …).
LAYER_FRAME = "chat.frame"
LAYER_TYPING = "chat.typing"
LAYER_REVOKE = "chat.revoke"


def group_name(project_id):
    """The channel-layer group of one project's chat, built from its primary key only."""
    return f"chat.project.{int(project_id)}"


def encode(frame):
    """JSON text of a frame, compact; encoded once and fanned out as text."""
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def timestamp(value):
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user_dict(user):
    if user is None:
        return None
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
    }


def message_dict(message, author=None):
    """A message as the protocol sends it; ``author`` avoids a query when it is known."""
    author = author if author is not None else message.author
    deleted = message.deleted_at is not None
    return {
        "id": message.pk,
        "seq": message.seq,
        "author": user_dict(author),
        "body": "" if deleted else message.body,
        "mentions": [] if deleted else list(message.mentions or []),
        "created_at": timestamp(message.created_at),
        "edited_at": timestamp(message.edited_at),
        "deleted": deleted,
        "client_id": message.client_id,
    }


# The columns ``message_row`` reads, in its order (``values_list`` of a Message query).
MESSAGE_COLUMNS = (
    "id",
    "seq",
    "body",
    "mentions",
    "created_at",
    "edited_at",
    "deleted_at",
    "client_id",
    "author_id",
    "author__username",
    "author__first_name",
    "author__last_name",
)


def message_row(row):
    """``message_dict`` of a message read as a plain row of ``MESSAGE_COLUMNS``: the same
    dict, without making a model instance per message and per author (a room's history is
    read on every connect)."""
    pk, seq, body, mentions, created, edited, deleted_at, client_id = row[:8]
    author_id, username, first_name, last_name = row[8:]
    author = None
    if author_id is not None:
        name = f"{first_name} {last_name}".strip()
        author = {"id": author_id, "username": username, "name": name or username}
    deleted = deleted_at is not None
    return {
        "id": pk,
        "seq": seq,
        "author": author,
        "body": "" if deleted else body,
        "mentions": [] if deleted else list(mentions or []),
        "created_at": timestamp(created),
        "edited_at": timestamp(edited),
        "deleted": deleted,
        "client_id": client_id,
    }


def hello(*, project, user, last_seq, read_seq, online, messages):
    return {
        "type": "hello",
        "project": {"id": project["id"], "title": project["title"]},
        "user": user,
        "last_seq": last_seq,
        "read_seq": read_seq,
        "online": online,
        "messages": messages,
    }


def hello_text(*, online_text, messages_text, **fields):
    """``encode(hello(...))`` with the online list and the messages already JSON text: the
    room's latest messages are encoded once for everyone joining at about the same time, and
    the online list comes from the presence store as text."""
    head = encode(hello(online=None, messages=None, **fields))
    tail = ',"online":null,"messages":null}'
    if not head.endswith(tail):  # pragma: no cover - ``hello`` puts them last, in this order
        raise ValueError("hello: online and messages must be its last fields")
    return f'{head[: -len(tail)]},"online":{online_text},"messages":{messages_text}}}'


def presence_text(online_text):
    """``encode(presence(online))`` with the online list already JSON text."""
    return f'{{"type":"presence","online":{online_text}}}'


def message_new(message):
    return {"type": "message.new", "message": message}


def message_updated(message):
    return {"type": "message.updated", "message": message}


def messages(items, has_more):
    return {"type": "messages", "messages": items, "has_more": has_more}


def typing(user):
    return {"type": "typing", "user": user}


def presence(online):
    return {"type": "presence", "online": online}


def error(code, detail, ref=None):
    frame = {"type": "error", "code": code, "detail": str(detail)}
    if ref is not None:
        frame["ref"] = ref
    return frame


# --- channel-layer events ---------------------------------------------------------------


def layer_frame(frame):
    """A frame for every socket in the group, encoded once for all of them; ``kind`` is the
    frame's type (a relay keeps what it knows of a room's messages until one changes)."""
    return layer_text(encode(frame), frame["type"])


def layer_text(text, kind):
    """``layer_frame`` of a frame already encoded as ``text``, of type ``kind``."""
    return {"type": LAYER_FRAME, "text": text, "kind": kind}


def layer_typing(user):
    return {"type": LAYER_TYPING, "user": user, "text": encode(typing(user))}


def layer_revoke(user_ids):
    return {"type": LAYER_REVOKE, "user_ids": [int(pk) for pk in user_ids]}
