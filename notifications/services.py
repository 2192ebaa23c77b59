"""Tell a person something: in-app on /portal/ and, unless asked not to, by e-mail.

A notification speaks its recipient's language, not the language of whoever caused it: callers
pass ``render``, a function returning ``(title, body)``, and it is called under
``translation.override`` of each recipient's language (their ``LanguagePreference``), so the
``gettext`` calls inside it translate for that person. The e-mail carries the same texts.
"""

from contextlib import suppress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .kinds import kind_check, notification_kinds
from .live import bell_announce
from .mail import mail_queue
from .models import (
    Channel,
    DigestFrequency,
    DigestSettings,
    KindPreference,
    LanguagePreference,
    Notification,
)
from .selectors import bell_key, channels_for, language_known, notification_languages
from .unsubscribe import DIGEST, unsubscribe_headers, unsubscribe_url


def _render(render, language):
    with translation.override(language):
        title, body = render()
        # Lazy strings must become text while the recipient's language is active.
        return str(title), str(body or "")


def bell_forget(user_ids):
    """The bell's cached count of these people is stale once the transaction commits: it is
    forgotten, then their open bell sockets are told (``live``) and count again."""
    ids = sorted(set(user_ids))
    if not ids:
        return

    def forget_and_announce():
        cache.delete_many([bell_key(user_id) for user_id in ids])
        bell_announce(ids)

    transaction.on_commit(forget_and_announce, robust=True)


def mail_render(*, user, kind, language, subject, context, template):
    """Queue ``template`` (.txt and .html) for ``user`` in ``language``, with its one-click
    unsubscribe link for ``kind`` in the text and the headers."""
    unsubscribe = unsubscribe_url(user.pk, kind)
    with translation.override(language):
        context = {
            **context,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "base_url": settings.WAGTAILADMIN_BASE_URL,
            "preferences_url": settings.WAGTAILADMIN_BASE_URL
            + reverse("portal:notification_preferences"),
            "unsubscribe_url": unsubscribe,
            "kind_label": DIGEST if kind == DIGEST else notification_kinds().get(kind, ""),
            "language": language,
        }
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        subject = str(subject)
    return mail_queue(
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(unsubscribe),
        kind=kind,
        user=user,
    )


def _about_id(about):
    """A page or its id (the project or organization a notification is about), or None."""
    return getattr(about, "pk", about)


def _create(*, user, kind, title, body, url, email, channel, language, about=None):
    """Record one notification as the person's ``channel`` for its kind says: not at all
    (off), in the app, or in the app and by e-mail at once (unless ``email`` is False: the
    caller knows the person is looking already). Digest notifications wait for the digest."""
    if channel == Channel.OFF:
        return None
    at_once = channel == Channel.EMAIL and email and bool(user.email)
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        title=title,
        body=body,
        url=url,
        about_id=_about_id(about),
        emailed_at=timezone.now() if at_once else None,
    )
    if at_once:
        mail_render(
            user=user,
            kind=kind,
            language=language,
            subject=title,
            context={"notification": notification, "link": _link(url)},
            template="notifications/email/notification",
        )
    return notification


def _link(url):
    return f"{settings.WAGTAILADMIN_BASE_URL}{url}" if url.startswith("/") else url


def notification_create(*, user, kind, render, url="", email=True, language=None, about=None):
    """Record a notification for ``user``; its e-mail goes once the transaction commits.

    ``render()`` returns ``(title, body)`` and is called in ``language``, by default the
    recipient's own (pass it when it is known already, e.g. from ``notification_languages``).
    ``kind`` is one an app declared (``notifications.kinds``). ``about`` is the project or
    organization (a page, or its id) it concerns: the centre groups by it.
    """
    kind_check(kind)
    if language is None:
        language = notification_languages([user])[user.pk]
    title, body = _render(render, language)
    channel = channels_for([user.pk], kind)[user.pk]
    notification = _create(
        user=user,
        kind=kind,
        title=title,
        body=body,
        url=url,
        email=email,
        channel=channel,
        language=language,
        about=about,
    )
    if notification is not None:
        bell_forget([user.pk])
    return notification


def notification_create_many(*, users, kind, render, url="", email=True, about=None):
    """Notify each of ``users`` once: their languages are read in one query, and ``render``
    is called once per language among them."""
    kind_check(kind)
    people = list({user.pk: user for user in users}.values())
    languages = notification_languages(people)
    channels = channels_for([user.pk for user in people], kind)
    texts = {}
    notifications = []
    for user in people:
        language = languages[user.pk]
        if language not in texts:
            texts[language] = _render(render, language)
        title, body = texts[language]
        notification = _create(
            user=user,
            kind=kind,
            title=title,
            body=body,
            url=url,
            email=email,
            channel=channels[user.pk],
            language=language,
            about=about,
        )
        if notification is not None:
            notifications.append(notification)
    bell_forget([notification.user_id for notification in notifications])
    return notifications


def notification_mark_read(*, user, ids=None):
    """Mark the user's notifications (all, or those ids) read; returns how many changed.

    Only ``user``'s own: another person's ids change nothing."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    changed = qs.update(read_at=timezone.now())
    if changed:
        bell_forget([user.pk])
    return changed


def kind_preferences_set(*, user, channels):
    """Save ``{kind: channel}`` for ``user``: only declared kinds and known channels, else a
    ``ValidationError`` and nothing changes."""
    kinds = notification_kinds()
    for kind, channel in channels.items():
        if kind not in kinds or channel not in Channel.values:
            raise ValidationError(_("This choice is not available."), code="invalid_choice")
    with transaction.atomic():
        for kind, channel in channels.items():
            KindPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"channel": channel}
            )


def digest_settings_set(*, user, frequency, hour, time_zone):
    settings_row = DigestSettings.objects.filter(user=user).first() or DigestSettings(user=user)
    settings_row.frequency = frequency
    settings_row.hour = hour
    settings_row.time_zone = time_zone
    settings_row.full_clean()
    settings_row.save()
    return settings_row


def unsubscribe(*, user_id, kind):
    """What a one-click unsubscribe link does: no more digest, or this kind in the app only
    (the notifications stay on /portal/notifications/). Returns False for an unknown kind or
    person."""
    if not get_user_model().objects.filter(pk=user_id).exists():
        return False
    if kind == DIGEST:
        DigestSettings.objects.update_or_create(
            user_id=user_id, defaults={"frequency": DigestFrequency.OFF}
        )
        return True
    if kind not in notification_kinds():
        return False
    KindPreference.objects.update_or_create(
        user_id=user_id, kind=kind, defaults={"channel": Channel.APP}
    )
    return True


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


def language_at_sign_in(*, user, chosen, answered):
    """The language ``user`` is answered in once signed in, remembered for their notifications.

    ``chosen`` is the language picked with the switcher on this browser (None if never),
    ``answered`` the one the sign-in page spoke (the cookie, else the browser's languages). A
    choice made on this browser is the latest word and is remembered; without one, the saved
    language wins over whatever the browser asks for (a new phone in English does not turn a
    Catalan speaker's portal English); with neither, the sign-in page's language is remembered.
    """
    saved = language_known(user)
    if chosen or not saved:
        with suppress(ValidationError):
            language_preference_set(user=user, language=chosen or answered)
        return chosen or answered
    return saved


def notification_bodies_forget(*, bodies):
    """Blank the body of every notification whose body is one of ``bodies``: a text someone
    wrote (a join request's message) that others' notifications carried verbatim, and that
    goes when its author's account does. Returns how many changed."""
    bodies = {body for body in bodies if body}
    if not bodies:
        return 0
    return Notification.objects.filter(body__in=bodies).update(body="")
