import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.ratelimit import ratelimit

from . import events, selectors, services
from .panels import chat_panel_context

logger = logging.getLogger(__name__)

PLAIN_MESSAGES = 50


def _project_or_refuse(request, project_id):
    project, outcome = selectors.chat_page_project(user=request.user, project_id=project_id)
    if outcome == "missing":
        raise Http404
    if outcome == "forbidden":
        raise PermissionDenied
    return project


@login_required
def chat_page(request, project_id):
    """The project chat on a page of its own (the workspace shows the same panel)."""
    project = _project_or_refuse(request, project_id)
    return render(
        request,
        "chat/chat_page.html",
        {"project": project, **chat_panel_context(request, project)},
    )


def _tell_the_room(project_id, message, author):
    """Live sockets get the message as if it came from one of them; if the channel layer is
    down, they find it when they reconnect and sync (it is stored)."""
    event = events.layer_frame(events.message_new(events.message_dict(message, author)))
    try:
        async_to_sync(get_channel_layer().group_send)(events.group_name(project_id), event)
    except Exception as exc:  # noqa: BLE001 - the message is stored either way
        logger.warning("chat: a message sent from the form was not broadcast (%r)", exc)


@login_required
@ratelimit(
    "chat_form",
    key="user",
    message=gettext_lazy("You are sending messages too fast; wait a moment."),
)
def chat_plain(request, project_id):
    """The chat without JavaScript: the latest messages and a form that sends one.

    Opening the page marks them read. The form carries a ``client_id`` made when it was shown,
    so sending it twice (a double click, the browser's resend) stores the message once.
    """
    project = _project_or_refuse(request, project_id)
    error = None
    body = ""
    status = 200
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            message, created = services.message_send(
                project_id=project.pk,
                author=request.user,
                body=body,
                client_id=request.POST.get("client_id", ""),
            )
        except services.ChatError as refused:
            error, status = refused.detail, 400
        else:
            if created:
                _tell_the_room(project.pk, message, request.user)
            flash.success(request, _("Message sent."))
            return redirect(reverse("portal:project_chat_plain", args=[project.pk]) + "#latest")
    latest = selectors.message_latest_rows(project_id=project.pk, limit=PLAIN_MESSAGES)
    if latest:
        services.read_marker_set(project_id=project.pk, user=request.user, seq=latest[-1].seq)
    return render(
        request,
        "chat/chat_plain.html",
        {
            "project": project,
            "chat_messages": latest,
            "error": error,
            "body": body,
            "client_id": uuid.uuid4().hex if error is None else request.POST.get("client_id"),
            "body_max": services.BODY_MAX,
        },
        status=status,
    )
