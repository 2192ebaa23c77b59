"""Signals → project services. Thin on purpose: the service decides.

Wagtail's workflow signals tell proposers how their review ended; partners' ``membership_ended``
takes a person who left an organization off its project teams (partners is below projects, so
it tells through its own signal and never imports this app).
"""

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from partners.signals import membership_ended

from .mail import NOTIFIERS


def _project(workflow_state):
    from .models import ProjectPage

    page = workflow_state.content_object
    page = getattr(page, "specific", page)
    return page if isinstance(page, ProjectPage) else None


def _comment(workflow_state):
    return getattr(workflow_state.current_task_state, "comment", "") or ""


@receiver(workflow_approved, dispatch_uid="projects.review_approved")
def on_workflow_approved(sender, instance, user=None, **kwargs):
    if project := _project(instance):
        from .services import project_review_notify

        project_review_notify(project=project, approved=True, comment=_comment(instance))


@receiver(workflow_rejected, dispatch_uid="projects.review_rejected")
def on_workflow_rejected(sender, instance, user=None, **kwargs):
    if project := _project(instance):
        from .services import project_review_notify

        project_review_notify(project=project, approved=False, comment=_comment(instance))


@receiver(membership_ended, dispatch_uid="projects.membership_ended")
def on_membership_ended(sender, organization_id, user_id, by_id=None, **kwargs):
    from .services import team_membership_ended

    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    team_membership_ended(organization_id=organization_id, user_id=user_id, by=by)


# Wagtail's own workflow e-mails give way to editorial-only ones (``projects.mail``): same
# dispatch uids as Wagtail's, so whichever app is ready first, one of each stays connected.
for _signal, _notifier, _uid in NOTIFIERS:
    _signal.disconnect(sender=WorkflowState, dispatch_uid=_uid)
    _signal.connect(_notifier, sender=WorkflowState, dispatch_uid=_uid)
