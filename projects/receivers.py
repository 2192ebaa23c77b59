"""Wagtail workflow signals → project services. Thin on purpose: the service decides."""

from django.dispatch import receiver
from wagtail.signals import workflow_approved, workflow_rejected


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
