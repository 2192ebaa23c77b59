"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "knowledge.join_request": _("Request to join a community"),
    "knowledge.joined": _("Joined a community"),
    "knowledge.question": _("New question in a community"),
    "knowledge.answer": _("New answer to a question"),
    "knowledge.comment": _("Comment on your answer"),
    "knowledge.accepted": _("Answer accepted"),
    "knowledge.mention": _("Mention in a community"),
    "knowledge.item": _("New knowledge item"),
    "knowledge.approved": _("Knowledge item approved"),
    "knowledge.rejected": _("Knowledge item sent back"),
    "knowledge.session": _("Community session"),
}
