"""Images go with the listing that showed them.

A listing's photos are Wagtail images made for it alone (``services._photo_create``): when the
listing goes — deleted in the admin, or with its organization — nothing else shows them, so
they are deleted too (Wagtail then deletes their files and renditions)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.images import get_image_model

from .models import Listing, ListingPhoto


def _delete_unused(ids):
    # A further photo promoted to the cover keeps its image: only images no listing shows go.
    in_use = set(Listing.objects.filter(photo_id__in=ids).values_list("photo_id", flat=True))
    in_use |= set(ListingPhoto.objects.filter(image_id__in=ids).values_list("image_id", flat=True))
    get_image_model().objects.filter(pk__in=set(ids) - in_use).delete()


def _delete_images(ids):
    ids = [pk for pk in ids if pk]
    if ids:
        # Once the delete has committed (and not at all if it rolls back).
        transaction.on_commit(lambda: _delete_unused(ids))


@receiver(post_delete, sender=Listing, dispatch_uid="resources.listing_images")
def listing_deleted(sender, instance, **kwargs):
    _delete_images([instance.photo_id])


@receiver(post_delete, sender=ListingPhoto, dispatch_uid="resources.listing_photo_images")
def listing_photo_deleted(sender, instance, **kwargs):
    _delete_images([instance.image_id])
