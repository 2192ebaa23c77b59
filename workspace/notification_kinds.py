"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

TASK_ASSIGNED = "workspace.task_assigned"
TASK_OVERDUE = "workspace.task_overdue"
MEETING = "workspace.meeting"

LABELS = {
    TASK_ASSIGNED: _("A task assigned to you"),
    TASK_OVERDUE: _("A task of yours is overdue"),
    MEETING: _("A project meeting"),
}
