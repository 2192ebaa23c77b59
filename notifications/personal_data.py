"""What notifications keeps about a person, for the privacy export and account deletion.

Their own notifications and language preference go with the account (the foreign keys
cascade). Others' notifications that name them ("Marta Puig joined the team") keep what
happened, without the name, address or profile link.
"""

import re

from django.db.models import Q

from core.personal_data import person_emails, when

from .models import (
    BouncedAddress,
    DigestRun,
    DigestSettings,
    KindPreference,
    LanguagePreference,
    Notification,
    OutgoingMail,
)


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


def preferences_export(user):
    settings_row = DigestSettings.objects.filter(user=user).first()
    kinds = KindPreference.objects.filter(user=user).order_by("kind")
    return {
        "kinds": dict(kinds.values_list("kind", "channel")),
        "digest": None
        if settings_row is None
        else {
            "frequency": settings_row.frequency,
            "hour": settings_row.hour,
            "time_zone": settings_row.time_zone,
        },
        "digests_sent": [
            {"period": run.period, "items": run.items, "created_at": when(run.created_at)}
            for run in DigestRun.objects.filter(user=user).order_by("created_at")
        ],
    }


def mail_export(user):
    """The e-mails queued for the person (their account's, or to an address they proved)."""
    emails = person_emails(user)
    rows = OutgoingMail.objects.filter(Q(user=user) | Q(to__in=emails)).order_by("created_at")
    return [
        {
            "to": row.to,
            "subject": row.subject,
            "status": row.status,
            "created_at": when(row.created_at),
            "sent_at": when(row.sent_at),
        }
        for row in rows
    ]


def mail_forget(user, context):
    """The mail log keeps nothing to or about the person, nor their bounced addresses."""
    addresses = Q()
    for email in context.emails:
        addresses |= Q(to__iexact=email)
    OutgoingMail.objects.filter(Q(user=user) | addresses).delete()
    bounced = Q()
    for email in context.emails:
        bounced |= Q(email__iexact=email)
    if context.emails:
        BouncedAddress.objects.filter(bounced).delete()
