"""Tell a person something: in-app on /portal/ and, unless asked not to, by e-mail.

A notification speaks its recipient's language, not the language of whoever caused it: callers
pass ``render``, a function returning ``(title, body)``, and it is called under
``translation.override`` of each recipient's language (their ``LanguagePreference``), so the
``gettext`` calls inside it translate for that person. The e-mail carries the same texts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.mail import mail_send_on_commit

from .kinds import kind_check
from .models import LanguagePreference, Notification
from .selectors import notification_languages


def _render(render, language):
    with translation.override(language):
        title, body = render()
        # Lazy strings must become text while the recipient's language is active.
        return str(title), str(body or "")


def _create(*, user, kind, title, body, url, email):
    notification = Notification.objects.create(
        user=user, kind=kind, title=title, body=body, url=url
    )
    if email and user.email:
        subject, message, address = title, body, user.email
        if url:
            message = f"{message}\n\n{settings.WAGTAILADMIN_BASE_URL}{url}"
        mail_send_on_commit(subject, message, [address])
    return notification


def notification_create(*, user, kind, render, url="", email=True, language=None):
    """Record a notification for ``user``; its e-mail goes once the transaction commits.

    ``render()`` returns ``(title, body)`` and is called in ``language``, by default the
    recipient's own (pass it when it is known already, e.g. from ``notification_languages``).
    ``kind`` is one an app declared (``notifications.kinds``).
    """
    kind_check(kind)
    if language is None:
        language = notification_languages([user])[user.pk]
    title, body = _render(render, language)
    return _create(user=user, kind=kind, title=title, body=body, url=url, email=email)


def notification_create_many(*, users, kind, render, url="", email=True):
    """Notify each of ``users`` once: their languages are read in one query, and ``render``
    is called once per language among them."""
    kind_check(kind)
    people = list({user.pk: user for user in users}.values())
    languages = notification_languages(people)
    texts = {}
    notifications = []
    for user in people:
        language = languages[user.pk]
        if language not in texts:
            texts[language] = _render(render, language)
        title, body = texts[language]
        notifications.append(
            _create(user=user, kind=kind, title=title, body=body, url=url, email=email)
        )
    return notifications


def notification_mark_read(*, user, ids=None):
    """Mark the user's notifications (all, or those ids) read; returns how many changed.

    Only ``user``'s own: another person's ids change nothing."""
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


def notification_bodies_forget(*, bodies):
    """Blank the body of every notification whose body is one of ``bodies``: a text someone
    wrote (a join request's message) that others' notifications carried verbatim, and that
    goes when its author's account does. Returns how many changed."""
    bodies = {body for body in bodies if body}
    if not bodies:
        return 0
    return Notification.objects.filter(body__in=bodies).update(body="")
