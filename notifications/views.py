"""The signed-in person's notifications: the list, opening one, marking them all read.

Each view parses the request, calls one selector or service and renders or redirects. A
notification is its owner's alone: another person's answers 404, as if it did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors
from .kinds import notification_kinds
from .services import notification_mark_read


@login_required
def notification_list(request):
    paginator = Paginator(selectors.notification_list(user=request.user), selectors.LIST_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    labels = notification_kinds()
    items = [(notification, labels.get(notification.kind, "")) for notification in page_obj]
    return render(
        request,
        "notifications/notification_list.html",
        {"page_obj": page_obj, "items": items},
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
