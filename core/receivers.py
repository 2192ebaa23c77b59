"""The kernel's own receivers (imported by ``CoreConfig.ready``): publishing changes what the
anonymous page cache may serve (``core.pagecache``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import pagecache
from .i18n_content import reread_locales


@receiver(
    [page_published, page_unpublished, post_page_move, page_slug_changed],
    dispatch_uid="core.pagecache_page_changed",
)
@receiver(post_delete, sender=Page, dispatch_uid="core.pagecache_page_deleted")
def page_changed(sender, **kwargs):
    pagecache.cache_invalidate()


# A view restriction hides pages from the directories and their facets.
@receiver([post_save, post_delete], sender=PageViewRestriction, dispatch_uid="core.pagecache_vr")
def view_restriction_changed(sender, **kwargs):
    pagecache.cache_invalidate()


@receiver([post_save, post_delete], sender=Locale, dispatch_uid="core.locale_languages")
def locale_changed(sender, **kwargs):
    reread_locales()
