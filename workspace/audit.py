"""The workspace's entries in the project's audit trail (``core.audit``)."""

from django.utils.translation import gettext_lazy as _

DOCUMENT_UPLOAD = "workspace.document_upload"
DOCUMENT_VERSION = "workspace.document_version"
DOCUMENT_DELETE = "workspace.document_delete"
TASK_CREATE = "workspace.task_create"
TASK_STATUS = "workspace.task_status"
MEETING_CREATE = "workspace.meeting_create"

ACTIONS = {
    DOCUMENT_UPLOAD: (_("Uploaded a document"), _("Uploaded %(detail)s")),
    DOCUMENT_VERSION: (_("Uploaded a new version"), _("New version of %(detail)s")),
    DOCUMENT_DELETE: (_("Deleted a document"), _("Deleted %(detail)s")),
    TASK_CREATE: (_("Created a task"), _("Created the task %(detail)s")),
    TASK_STATUS: (_("Moved a task"), _("Moved the task %(detail)s")),
    MEETING_CREATE: (_("Planned a meeting"), _("Planned the meeting %(detail)s")),
}
