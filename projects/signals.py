"""Signals other apps (chat) listen to, so that projects never imports them."""

from django.dispatch import Signal

# Sent after commit when people lose access to a project's workspace.
# kwargs: project_id (int), user_ids (list[int])
team_access_revoked = Signal()
