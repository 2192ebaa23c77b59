"""A confirmation page before a destructive action: the portal's dialog without JavaScript.

A destructive button in a list is a link (GET) to its action's URL, which answers with this
page once the same permission checks as the action passed; the page's form POSTs back to the
same URL, and only that POST acts. Nothing here decides who may act: the view has already.
"""

from django.shortcuts import render


def confirm_page(
    request, *, title, question, action_label, cancel_url, consequence="", fields=None
):
    """The page asking ``question``; its button posts ``fields`` (hidden) back to this URL."""
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "question": question,
            "consequence": consequence,
            "action_label": action_label,
            "cancel_url": cancel_url,
            "fields": sorted((fields or {}).items()),
        },
    )
