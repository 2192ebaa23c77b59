"""Writes for profiles: the person updates their own name and profile; deletion forgets it."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction

from core.uploads import sanitize_image

from .models import Profile

ACCOUNT_FIELDS = ("first_name", "last_name")
PROFILE_FIELDS = ("languages", "skills", "bio", "shown")


def _photo_create(*, file, user):
    from wagtail.images import get_image_model

    file = sanitize_image(file)
    file.seek(0)
    extension = PurePath(file.name).suffix
    image = get_image_model()(
        title=f"Photo of {user.get_full_name() or user.get_username()}"[:255],
        file=ImageFile(file, name=f"person-{user.pk}{extension}"),
        uploaded_by_user=user,
    )
    image._set_image_file_metadata()
    image.save()
    return image


@transaction.atomic
def profile_update(*, user, photo_file=None, remove_photo=False, **fields):
    """Save the person's name and profile; a new photo replaces (and deletes) the old one.

    Bad input raises ``ValidationError`` and changes nothing.
    """
    unknown = set(fields) - set(ACCOUNT_FIELDS) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    if photo_file is not None:
        try:
            sanitize_image(photo_file)
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from None
    for name in ACCOUNT_FIELDS:
        if name in fields:
            setattr(user, name, (fields[name] or "").strip())
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=[name for name in ACCOUNT_FIELDS if name in fields] or None)
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else bool(value))
    old_photo = profile.photo if profile.photo_id else None
    if photo_file is not None:
        profile.photo = _photo_create(file=photo_file, user=user)
    elif remove_photo:
        profile.photo = None
    profile.full_clean()
    profile.save()
    if old_photo is not None and profile.photo_id != old_photo.pk:
        old_photo.delete()
    return profile


def personal_data_forget(user, context):
    """Account deletion: the profile and its photo go."""
    profile = Profile.objects.filter(user=user).select_related("photo").first()
    if profile is None:
        return
    photo = profile.photo
    profile.delete()
    if photo is not None:
        photo.delete()
