"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

PREFIX = "projects."
APPROVED = "projects.approved"
REJECTED = "projects.rejected"
INVITATION = "projects.invitation"
REQUEST = "projects.request"
ACCEPTED = "projects.accepted"
DECLINED = "projects.declined"
LEFT = "projects.left"
REMOVED = "projects.removed"
TEAM_ADDED = "projects.team_added"
STATUS_CHANGED = "projects.status_changed"

LABELS = {
    APPROVED: _("Project approved"),
    REJECTED: _("Project needs changes"),
    INVITATION: _("Invitation to a project"),
    REQUEST: _("Request to join"),
    ACCEPTED: _("New partner"),
    DECLINED: _("Declined"),
    LEFT: _("Partner left"),
    REMOVED: _("Partnership ended"),
    TEAM_ADDED: _("Joined a team"),
    STATUS_CHANGED: _("Project status changed"),
}
