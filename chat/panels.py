"""The chat panels other pages show: the project chat itself and the dashboard's unread list."""

import uuid

from django.conf import settings
from django.template.loader import render_to_string

from core.audit import project_activity
from core.person_cards import person_card_urls
from core.textlang import WORDS
from projects.models import TeamMembership

from . import selectors


def chat_panel_context(request, project):
    counts = selectors.unread_counts(user=request.user, project_ids=[project.pk])[project.pk]
    _allowed, coordinates = selectors.project_access(user=request.user, project=project)
    return {
        "chat_project": project,
        "chat_counts": counts,
        "chat_can_coordinate": coordinates,
        "chat_edit_window": settings.CHAT_EDIT_WINDOW_SECONDS,
        "chat_activity": project_activity(project.pk),
        # Without JavaScript the form posts to the plain chat (never a GET: a message must not
        # end up in an address bar or a server log); the script sends over the socket instead.
        "chat_form_client_id": uuid.uuid4().hex,
        # The team's cards (of those who show one): the presence list links the names to them.
        # The words that tell the portal's languages apart: the script marks a message written
        # in another language than the page's with its ``lang`` (core.textlang).
        "chat_language_words_id": f"chat-words-{project.pk}",
        "chat_language_words": WORDS,
        "chat_card_urls_id": f"chat-cards-{project.pk}",
        "chat_card_urls": {
            str(user_id): url
            for user_id, url in person_card_urls(
                TeamMembership.objects.filter(project=project).values_list("user_id", flat=True)
            ).items()
        },
    }


def workspace_chat_panel(request, project):
    """The live chat of ``project`` for its workspace page; "" for people not on its team."""
    if not selectors.can_chat(request.user, project):
        return ""
    return render_to_string(
        "chat/includes/chat_panel.html", chat_panel_context(request, project), request=request
    )


def dashboard_chat_panel(request):
    """Unread messages and mentions in each of the person's project chats."""
    rows = selectors.chat_projects_for_user(user=request.user)
    if not rows:
        return ""
    return render_to_string(
        "chat/includes/dashboard_panel.html", {"chat_rows": rows}, request=request
    )
