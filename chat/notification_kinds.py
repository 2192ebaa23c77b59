"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

MENTION = "chat.mention"

LABELS = {MENTION: _("Mention in a chat")}
