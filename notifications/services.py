"""Tell a person something: in-app on /portal/ and, unless asked not to, by e-mail."""

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import LanguagePreference, Notification


def notification_create(*, user, kind, title, body="", url="", email=True):
    """Record a notification and send its e-mail once the surrounding transaction commits."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=str(title), body=str(body), url=url
    )
    if email and user.email:
        subject, message, address = str(title), str(body), user.email
        if url:
            from django.conf import settings

            message = f"{message}\n\n{settings.WAGTAILADMIN_BASE_URL}{url}"
        transaction.on_commit(
            lambda: send_mail(subject, message, None, [address], fail_silently=True)
        )
    return notification


def notification_mark_read(*, user, ids=None):
    """Mark the user's notifications (all, or those ids) read; returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=timezone.now())


def language_preference_set(*, user, language):
    """Remember the language ``user`` reads the portal in (a code of ``settings.LANGUAGES``,
    or a regional variant of one); anything else is refused with a ``ValidationError``."""
    try:
        language = translation.get_supported_language_variant(language or "")
    except LookupError:
        raise ValidationError(
            _("This is not one of the site's languages."), code="invalid_language"
        ) from None
    preference, _created = LanguagePreference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preference
