"""Project deletion → the workspace's files go with it. Thin on purpose: the service decides."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from projects.models import ProjectPage


@receiver(pre_delete, sender=ProjectPage, dispatch_uid="workspace.project_deleted")
def on_project_deleted(sender, instance, **kwargs):
    from .services import project_workspace_purge

    project_workspace_purge(instance)
