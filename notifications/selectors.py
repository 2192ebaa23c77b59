from django.conf import settings

from .models import LanguagePreference, Notification

LIST_PAGE_SIZE = 25


def notification_list_unread(*, user, limit=20):
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])


def notification_list(*, user):
    """Every notification of ``user``, newest first (a QuerySet for a paginator)."""
    return Notification.objects.filter(user=user).only(
        "id", "kind", "title", "body", "url", "created_at", "read_at"
    )


def notification_get_for_user(*, user, notification_id):
    """``user``'s own notification, or None: another person's is as good as missing."""
    return Notification.objects.filter(user=user, pk=notification_id).first()


def notification_unread_count(*, user):
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


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
