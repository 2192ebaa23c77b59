"""Wagtail's own workflow e-mails, kept for editorial pages only.

When an editor approves or rejects a page, Wagtail e-mails the person who submitted it, with
links into the admin. Organizations and projects are submitted by portal users, who have no
admin access and are told already, in their language and with a portal link, by the
``workflow_approved`` / ``workflow_rejected`` receivers of the partners and projects apps.
So for those pages Wagtail's e-mail is left out; other pages keep it.
"""

from wagtail.admin.mail import (
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.signals import workflow_approved, workflow_rejected


def _is_portal_page(workflow_state):
    from partners.models import PartnerPage

    from .models import ProjectPage

    page = workflow_state.content_object
    return isinstance(getattr(page, "specific", page), PartnerPage | ProjectPage)


class EditorialApprovalEmailNotifier(WorkflowStateApprovalEmailNotifier):
    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not _is_portal_page(instance)


class EditorialRejectionEmailNotifier(WorkflowStateRejectionEmailNotifier):
    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not _is_portal_page(instance)


# (signal, notifier, Wagtail's dispatch uid): connected by ``projects.receivers``.
NOTIFIERS = (
    (
        workflow_approved,
        EditorialApprovalEmailNotifier(),
        "workflow_state_approved_email_notification",
    ),
    (
        workflow_rejected,
        EditorialRejectionEmailNotifier(),
        "workflow_state_rejected_email_notification",
    ),
)
