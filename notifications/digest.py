"""Digests: one e-mail per person per period with what they have not read and not been sent.

A person's period is their local day (daily) or ISO week (weekly, from Monday), in their time
zone (``DigestSettings``, default Europe/Madrid); it is due once their local clock has passed
their hour, so daylight-saving days and week boundaries follow the person's wall clock. The
period's key ("2026-12-06", "2026-W49") is stored in a ``DigestRun`` whose unique constraint
makes each period go once: a second run, or two runners at once, send nothing more.

One transaction holds the run, the ``emailed_at`` marks of the items and the queued mail: a
crash before it commits leaves nothing done (the next run does it all), after it the mail is
in the queue, which sends it once. Items already e-mailed (at once, or in an earlier digest)
are never repeated; with nothing to say, nothing is sent and the period stays open.

Items are grouped by what they link to and their kind, newest group first, each showing its
newest ``SHOWN`` titles and "and N more".
"""

import logging
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .kinds import kind_default, notification_kinds
from .models import (
    Channel,
    DigestFrequency,
    DigestRun,
    DigestSettings,
    KindPreference,
    Notification,
)
from .selectors import notification_languages
from .unsubscribe import DIGEST

logger = logging.getLogger(__name__)

SHOWN = 3
DEFAULT_TIME_ZONE = "Europe/Madrid"


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)


def due_period(settings_row, now):
    """The key of the period whose digest is due at ``now`` (aware), or None."""
    if settings_row.frequency == DigestFrequency.OFF:
        return None
    local = now.astimezone(_zone(settings_row.time_zone))
    if settings_row.frequency == DigestFrequency.WEEKLY:
        year, week, weekday = local.isocalendar()
        if weekday == 1 and local.hour < settings_row.hour:
            return None
        return f"{year}-W{week:02d}"
    if local.hour < settings_row.hour:
        return None
    return local.date().isoformat()


def digest_kinds(user):
    """The declared kinds ``user`` wants in the digest (one query)."""
    chosen = dict(KindPreference.objects.filter(user=user).values_list("kind", "channel"))
    return [
        kind
        for kind in notification_kinds()
        if chosen.get(kind, kind_default(kind)) == Channel.DIGEST
    ]


def _pending(user):
    return Notification.objects.filter(
        user=user, read_at__isnull=True, emailed_at__isnull=True, kind__in=digest_kinds(user)
    ).order_by("-created_at", "-id")


def digest_groups(notifications):
    """``[{"label", "url", "items", "more"}]``: by link and kind, newest group first."""
    labels = notification_kinds()
    groups = {}
    for notification in notifications:  # newest first, so groups are too
        key = (notification.url, notification.kind)
        group = groups.setdefault(
            key,
            {"label": labels.get(notification.kind, ""), "url": notification.url, "items": []},
        )
        group["items"].append(notification)
    result = []
    for group in groups.values():
        more = len(group["items"]) - SHOWN
        group["more"] = max(more, 0)
        group["items"] = group["items"][:SHOWN]
        result.append(group)
    return result


def digest_send_one(user, settings_row, period, *, now=None):
    """Queue ``user``'s digest for ``period``; returns how many items it holds (0: none sent)."""
    from .services import mail_render

    now = now or timezone.now()
    with transaction.atomic():
        if DigestRun.objects.filter(user=user, period=period).exists():
            return 0
        items = list(_pending(user))
        if not items:
            return 0
        try:
            with transaction.atomic():
                DigestRun.objects.create(user=user, period=period, items=len(items))
        except IntegrityError:
            return 0  # another run did this period meanwhile
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(emailed_at=now)
        language = notification_languages([user])[user.pk]
        with translation.override(language):
            subject = ngettext(
                "%(count)d thing you have not read yet",
                "%(count)d things you have not read yet",
                len(items),
            ) % {"count": len(items)}
            heading = (
                _("Your weekly digest")
                if settings_row.frequency == DigestFrequency.WEEKLY
                else _("Your daily digest")
            )
        mail_render(
            user=user,
            kind=DIGEST,
            language=language,
            subject=subject,
            context={"groups": digest_groups(items), "heading": heading, "count": len(items)},
            template="notifications/email/digest",
        )
    return len(items)


def digests_send(*, now=None):
    """Queue every digest that is due at ``now``; returns how many were queued."""
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    people = (
        get_user_model()
        .objects.filter(pk__in=waiting, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    rows = {row.user_id: row for row in DigestSettings.objects.filter(user__in=people)}
    sent = 0
    for user in people:
        settings_row = rows.get(user.pk) or DigestSettings(user=user)
        period = due_period(settings_row, now)
        if period is None:
            continue
        try:
            if digest_send_one(user, settings_row, period, now=now):
                sent += 1
        except Exception:  # one person's failure does not stop the others'
            logger.exception("digest for user %s not queued", user.pk)
    return sent
