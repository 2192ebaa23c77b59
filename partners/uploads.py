"""Organization logos: checked and cleaned by the shared upload check, stored as Wagtail images.

``core.uploads.sanitize_image`` decides, as for every other upload: the type by the content
(never the name or the browser's claim), the size and pixel limits, and a re-encoded file
without EXIF, XMP, JPEG comments or anything appended (a "polyglot" file does not survive).
"""

from pathlib import PurePath

from django.core.files.images import ImageFile

from core.uploads import sanitize_image


def logo_validate(file):
    """Check an uploaded logo and clean it in place; raises a translated ValidationError."""
    return sanitize_image(file)


def logo_image_create(*, file, title, slug, user=None):
    """Store a logo (checked and cleaned first) as a Wagtail image; the caller links it."""
    from wagtail.images import get_image_model

    file = sanitize_image(file)
    file.seek(0)
    extension = PurePath(file.name).suffix
    Image = get_image_model()
    image = Image(
        title=title[:255],
        file=ImageFile(file, name=f"logo-{slug}{extension}"),
        uploaded_by_user=user,
    )
    image._set_image_file_metadata()
    image.save()
    return image
