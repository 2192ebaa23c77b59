"""Receivers of Wagtail's signals that keep the editors' rights in step with the page tree
(imported by ``HomeConfig.ready``)."""

from django.dispatch import receiver
from wagtail.signals import copy_for_translation_done


@receiver(copy_for_translation_done, dispatch_uid="home.translated")
def home_translated(sender, source_obj, target_obj, **kwargs):
    """A new locale's home page (a new tree) gets the editors' page rights like the first."""
    if getattr(target_obj, "depth", None) == 2:
        from .permissions import editors_group_sync

        editors_group_sync()
