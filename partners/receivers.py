"""Thin receivers of Wagtail's publishing and moderation signals: each calls one service
(imported by ``PartnersConfig.ready``)."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.signals import page_published, workflow_rejected

from . import services
from .models import PartnerPage


@receiver(page_published, sender=PartnerPage, dispatch_uid="partners.published")
def on_page_published(sender, instance, **kwargs):
    services.organization_published(organization=instance)


@receiver(workflow_rejected, dispatch_uid="partners.rejected")
def on_workflow_rejected(sender, instance, user=None, **kwargs):
    if instance.content_type_id != ContentType.objects.get_for_model(PartnerPage).pk:
        return
    organization = PartnerPage.objects.get(pk=instance.object_id)
    task_state = instance.current_task_state
    services.organization_changes_requested(
        organization=organization, comment=task_state.comment if task_state else ""
    )
