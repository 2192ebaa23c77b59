from django.conf import settings

from .models import LanguagePreference, Notification


def notification_list_unread(*, user, limit=20):
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])


def notification_languages(users):
    """``{user id: language}`` for ``users``, in one query; the site's default where unknown."""
    ids = {user.pk for user in users}
    languages = dict.fromkeys(ids, settings.LANGUAGE_CODE)
    if ids:
        known = dict(settings.LANGUAGES)
        rows = LanguagePreference.objects.filter(user_id__in=ids).values_list(
            "user_id", "language"
        )
        # A language the site no longer offers falls back to the default.
        languages.update((user_id, language) for user_id, language in rows if language in known)
    return languages


def language_known(user):
    """The language ``user`` reads the portal in, or None when the site does not know it."""
    language = (
        LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return language if language in dict(settings.LANGUAGES) else None
