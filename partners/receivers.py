"""Thin receivers of Wagtail's publishing and moderation signals: each calls one service
(imported by ``PartnersConfig.ready``)."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.signals import page_published, workflow_rejected

from taxonomy.signals import tag_proposed

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


@receiver(tag_proposed, dispatch_uid="partners.tag_proposed")
def on_tag_proposed(sender, tag, proposed_by=None, **kwargs):
    # The lowest app that reaches both the vocabulary and the notification centre tells editors.
    services.tag_proposal_announce(tag=tag, proposed_by=proposed_by)
