"""Receivers of this app (imported by ``TaxonomyConfig.ready``).

Vocabulary names show on every card and filter of the cached public pages, so changing one
makes the anonymous page cache stale (``core.pagecache``).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import pagecache

from .models import Region, Sector, SustainableDevelopmentGoal


@receiver([post_save, post_delete], sender=Sector, dispatch_uid="taxonomy.pagecache_sector")
@receiver([post_save, post_delete], sender=Region, dispatch_uid="taxonomy.pagecache_region")
@receiver(
    [post_save, post_delete],
    sender=SustainableDevelopmentGoal,
    dispatch_uid="taxonomy.pagecache_sdg",
)
def vocabulary_changed(sender, **kwargs):
    pagecache.cache_invalidate()
