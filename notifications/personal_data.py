"""What notifications keeps about a person, for the privacy export and account deletion.

Their own notifications and language preference go with the account (the foreign keys
cascade). Others' notifications that name them ("Marta Puig joined the team") keep what
happened, without the name, address or profile link.
"""

import re

from django.db.models import Q

from core.personal_data import when

from .models import LanguagePreference, Notification


def notifications_export(user):
    return [
        {
            "kind": row.kind,
            "title": row.title,
            "body": row.body,
            "url": row.url,
            "created_at": when(row.created_at),
            "read_at": when(row.read_at),
        }
        for row in Notification.objects.filter(user=user).order_by("created_at", "id")
    ]


def notifications_forget(user, context):
    """Others' notifications about the person lose the strings that name them."""
    identifiers = context.identifiers
    if not identifiers:
        return
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in identifiers), re.IGNORECASE
    )
    query = Q()
    for name in identifiers:
        query |= Q(title__icontains=name) | Q(body__icontains=name) | Q(url__icontains=name)
    changed = []
    for notification in Notification.objects.filter(query).exclude(user=user):
        notification.title = pattern.sub(context.former, notification.title)[:200]
        notification.body = pattern.sub(context.former, notification.body)
        notification.url = pattern.sub("", notification.url)
        changed.append(notification)
    Notification.objects.bulk_update(changed, ["title", "body", "url"], batch_size=500)


def language_preference_export(user):
    row = LanguagePreference.objects.filter(user=user).first()
    if row is None:
        return None
    return {"language": row.language, "updated_at": when(row.updated_at)}
