"""Stored files go with their rows.

An application's attachments are deleted with it however it goes — erased with the applicant's
account, with its call, with the organization that opened the call — and most of those paths
are cascades that call no service of this app. So the stored file is removed when its row is,
once the deletion has committed (and not at all if it rolls back)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import CallAttachment


@receiver(post_delete, sender=CallAttachment, dispatch_uid="volunteers.attachment_file")
def attachment_deleted(sender, instance, **kwargs):
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
