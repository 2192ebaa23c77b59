"""Sign-in or the language switcher → the person's language is remembered, and signing in on
a browser that never chose one brings the saved language back. Thin on purpose: the service
decides."""

from contextlib import suppress

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver

from core.i18n import cookie_language, language_chosen, language_restore

from .services import language_at_sign_in, language_preference_set


@receiver(user_logged_in, dispatch_uid="notifications.language_on_sign_in")
def on_user_logged_in(sender, request, user, **kwargs):
    # The language the sign-in page was answered in (ClusterLocaleMiddleware); a sign-in
    # without a request through the middleware (a script, a test client) tells nothing.
    answered = getattr(request, "LANGUAGE_CODE", None)
    if not answered:
        return
    chosen = cookie_language(request)
    language = language_at_sign_in(user=user, chosen=chosen, answered=answered)
    if not chosen:
        # This browser keeps the person's language from now on, whatever it asks for.
        language_restore(request, language)


@receiver(language_chosen, dispatch_uid="notifications.language_on_switch")
def on_language_chosen(sender, user, language, **kwargs):
    # A code that is not one of the site's languages is not remembered.
    with suppress(ValidationError):
        language_preference_set(user=user, language=language)
