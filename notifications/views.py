"""The signed-in person's notifications: the list, opening one, marking one or all read, the
preferences; and the one-click unsubscribe link of e-mails, which needs no sign-in (its
signature is the proof).

Each view parses the request, calls one selector or service and renders or redirects. A
notification is its owner's alone: another person's answers 404, as if it did not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import PreferencesForm
from .kinds import notification_kinds
from .services import notification_mark_read
from .unsubscribe import DIGEST, unsubscribe_read


@login_required
def notification_list(request):
    paginator = Paginator(selectors.notification_list(user=request.user), selectors.LIST_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    labels = notification_kinds()
    groups = [
        (title, [(notification, labels.get(notification.kind, "")) for notification in rows])
        for _about_id, title, rows in selectors.notification_groups(page_obj)
    ]
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page_obj, "groups": groups},
    )


@login_required
def notification_open(request, notification_id):
    """Follow a notification's link; opening it is reading it (so a plain link, like e-mail's)."""
    notification = selectors.notification_get_for_user(
        user=request.user, notification_id=notification_id
    )
    if notification is None:
        raise Http404
    notification_mark_read(user=request.user, ids=[notification.pk])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("portal:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    count = notification_mark_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked read."))
    return redirect("portal:notification_list")


@login_required
@require_POST
def notification_read_one(request, notification_id):
    """Mark one notification read without opening it."""
    if not notification_mark_read(user=request.user, ids=[notification_id]):
        if (
            selectors.notification_get_for_user(user=request.user, notification_id=notification_id)
            is None
        ):
            raise Http404
    return redirect("portal:notification_list")


@login_required
def notification_preferences(request):
    kinds = selectors.kind_preferences(user=request.user)
    current = selectors.digest_settings_get(user=request.user)
    initial = {
        "language": selectors.language_known(request.user) or request.LANGUAGE_CODE,
        "frequency": current.frequency,
        "hour": current.hour,
        "time_zone": current.time_zone,
    }
    form = PreferencesForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.kind_preferences_set(user=request.user, channels=form.channels())
                services.digest_settings_set(
                    user=request.user,
                    frequency=form.cleaned_data["frequency"],
                    hour=form.cleaned_data["hour"],
                    time_zone=form.cleaned_data["time_zone"],
                )
                language = form.cleaned_data["language"]
                if language:
                    services.language_preference_set(user=request.user, language=language)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if language:
                # The next page speaks the chosen language, as after the header's switcher.
                translation.activate(language)
            messages.success(request, _("Your notification preferences are saved."))
            response = redirect("portal:notification_preferences")
            if not language:
                return response
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # a mail program's one-click POST (RFC 8058) has no CSRF token: the link is signed
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token):
    """GET asks to confirm (link checkers open links); POST unsubscribes, signed in or not."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    user_id, kind = found
    label = _("the digest") if kind == DIGEST else notification_kinds().get(kind)
    if label is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        done = services.unsubscribe(user_id=user_id, kind=kind)
        if not done:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": label, "done": done, "digest": kind == DIGEST},
    )
