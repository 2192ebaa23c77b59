"""What the chat keeps about a person, for the privacy export and account deletion.

Their messages stay in the project's history without an author (``Message.author`` is
``SET_NULL``: the team's conversation keeps its sense); their read markers and mention rows go
with the account (the foreign keys cascade); "@username" in others' messages becomes
"@former member".
"""

import re

from django.db.models import Q

from core.personal_data import when

from .models import Mention, Message, ReadMarker


def _project(row):
    return {"id": row.project_id, "title": row.project.title}


def messages_export(user):
    return [
        {
            "project": _project(row),
            "seq": row.seq,
            "body": row.body,
            "created_at": when(row.created_at),
            "edited_at": when(row.edited_at),
            "deleted_at": when(row.deleted_at),
        }
        for row in Message.objects.filter(author=user)
        .select_related("project")
        .order_by("project_id", "seq")
        .iterator(chunk_size=2000)
    ]


def read_markers_export(user):
    return [
        {"project": _project(row), "seq": row.seq, "updated_at": when(row.updated_at)}
        for row in ReadMarker.objects.filter(user=user)
        .select_related("project")
        .order_by("project_id")
    ]


def mentions_export(user):
    """Where others named them: the message's place and time (its text is its author's)."""
    return [
        {
            "project": _project(row),
            "seq": row.seq,
            "created_at": when(row.message.created_at),
        }
        for row in Mention.objects.filter(user=user)
        .select_related("project", "message")
        .order_by("project_id", "seq")
    ]


def mentions_forget(user, context):
    """Others' messages keep their text; "@username" in them becomes "@former member"."""
    # Usernames may contain . + - @, but "@name." ends a sentence rather than the name.
    pattern = re.compile(rf"@{re.escape(user.username)}(?!\w|[.+@-]\w)", re.IGNORECASE)
    mentioned = Message.objects.filter(
        Q(pk__in=Mention.objects.filter(user=user).values("message_id"))
        | Q(body__icontains=f"@{user.username}")
    )
    changed = []
    for message in mentioned:
        message.body = pattern.sub(f"@{context.former}", message.body)
        if isinstance(message.mentions, list):
            message.mentions = [m for m in message.mentions if m != user.pk]
        changed.append(message)
    Message.objects.bulk_update(changed, ["body", "mentions"], batch_size=500)
