"""Wagtail workflow signals → knowledge services. Thin on purpose: the service decides."""

from django.dispatch import receiver
from wagtail.signals import workflow_approved, workflow_rejected


def _item(workflow_state):
    from .models import KnowledgeItemPage

    page = workflow_state.content_object
    page = getattr(page, "specific", page)
    return page if isinstance(page, KnowledgeItemPage) else None


def _comment(workflow_state):
    return getattr(workflow_state.current_task_state, "comment", "") or ""


@receiver(workflow_approved, dispatch_uid="knowledge.review_approved")
def on_workflow_approved(sender, instance, user=None, **kwargs):
    if item := _item(instance):
        from .services import item_review_notify

        item.refresh_from_db()
        item_review_notify(item=item, approved=True, comment=_comment(instance))


@receiver(workflow_rejected, dispatch_uid="knowledge.review_rejected")
def on_workflow_rejected(sender, instance, user=None, **kwargs):
    if item := _item(instance):
        from .services import item_review_notify

        item_review_notify(item=item, approved=False, comment=_comment(instance))
