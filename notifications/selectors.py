from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Max, Window

from .kinds import kind_default, notification_kinds
from .models import DigestSettings, KindPreference, LanguagePreference, Notification

BELL_SECONDS = 600

LIST_PAGE_SIZE = 25


def notification_list_unread(*, user, limit=20):
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])


def notification_list(*, user):
    """Every notification of ``user`` grouped by the project or organization it is about (a
    QuerySet for a paginator, one query a page): the group with the newest notification
    first, newest first inside each group; those about nothing in particular form one group.

    Each row carries ``group_latest`` (its group's newest time) and ``about_title``; the
    ordering is total, so a group cut by a page break goes on at the top of the next page."""
    return (
        Notification.objects.filter(user=user)
        .only("id", "kind", "title", "body", "url", "created_at", "read_at", "about_id")
        .annotate(
            group_latest=Window(Max("created_at"), partition_by=[F("about_id")]),
            about_title=F("about__title"),
        )
        .order_by(
            F("group_latest").desc(),
            F("about_id").asc(nulls_last=True),
            "-created_at",
            "-id",
        )
    )


def notification_groups(notifications):
    """``[(about_id, about_title, [notification, …])]`` for rows of ``notification_list``, in
    their order (consecutive rows of one group become one entry)."""
    groups = []
    for notification in notifications:
        if groups and groups[-1][0] == notification.about_id:
            groups[-1][2].append(notification)
        else:
            groups.append((notification.about_id, notification.about_title, [notification]))
    return groups


def notification_get_for_user(*, user, notification_id):
    """``user``'s own notification, or None: another person's is as good as missing."""
    return Notification.objects.filter(user=user, pk=notification_id).first()


def notification_unread_count(*, user):
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def bell_key(user_id):
    return f"notifications:unread:{user_id}"


def notification_unread_count_cached(*, user):
    """The bell's number: kept in the cache until a notification of the person's is created
    or read (``services`` forgets it then), so a page costs at most one count query."""
    if not user.is_authenticated:
        return 0
    key = bell_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = notification_unread_count(user=user)
        cache.set(key, count, BELL_SECONDS)
    return count


def channels_for(user_ids, kind):
    """``{user id: channel}`` of ``kind`` for these people, in one query."""
    channels = dict.fromkeys(user_ids, kind_default(kind))
    rows = KindPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
        "user_id", "channel"
    )
    channels.update(rows)
    return channels


def kind_preferences(*, user):
    """``[(kind, label, channel)]`` for every declared kind, by label; one query."""
    chosen = dict(KindPreference.objects.filter(user=user).values_list("kind", "channel"))
    kinds = notification_kinds()
    return sorted(
        ((kind, label, chosen.get(kind, kind_default(kind))) for kind, label in kinds.items()),
        key=lambda row: (row[0].partition(".")[0], str(row[1])),
    )


def digest_settings_get(*, user):
    """The person's digest settings (the defaults, unsaved, when they never chose)."""
    return DigestSettings.objects.filter(user=user).first() or DigestSettings(user=user)


def _known_languages(user_ids):
    """``{user id: language}`` for the people whose language the site knows and still offers."""
    offered = dict(settings.LANGUAGES)
    rows = LanguagePreference.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "language"
    )
    return {user_id: language for user_id, language in rows if language in offered}


def notification_languages(users):
    """``{user id: language}`` for ``users``, in one query; the site's default where unknown."""
    ids = {user.pk for user in users}
    languages = dict.fromkeys(ids, settings.LANGUAGE_CODE)
    if ids:
        languages.update(_known_languages(ids))
    return languages


def language_known(user):
    """The language ``user`` reads the portal in, or None when the site does not know it."""
    return _known_languages([user.pk]).get(user.pk)
