from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .panels import chat_panel_context


@login_required
def chat_page(request, project_id):
    """The project chat on a page of its own (the workspace shows the same panel)."""
    project, outcome = selectors.chat_page_project(user=request.user, project_id=project_id)
    if outcome == "missing":
        raise Http404
    if outcome == "forbidden":
        raise PermissionDenied
    return render(
        request,
        "chat/chat_page.html",
        {"project": project, **chat_panel_context(request, project)},
    )
