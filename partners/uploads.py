"""Organization logos: what is accepted, and how an accepted upload becomes a Wagtail image.

The type is decided by decoding the content with Pillow, never from the file's name or the
browser's claimed content type; the image is then re-encoded, which drops EXIF and any other
embedded data (a "polyglot" file does not survive).
"""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


def _max_pixels():
    return getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 40_000_000)


def logo_validate(file):
    """Check an uploaded logo; return its Pillow format name or raise ValidationError."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo must be at most %(limit)s MB; this file is %(size)s.")
            % {"size": filesizeformat(size), "limit": LOGO_MAX_BYTES // (1024 * 1024)},
            code="logo_too_large",
        )
    not_an_image = ValidationError(
        _("The logo must be a PNG, JPEG, GIF or WebP image, and this file is not one."),
        code="logo_not_image",
    )
    file.seek(0)
    try:
        with PILImage.open(file) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in LOGO_FORMATS:
                raise not_an_image
            if width * height > _max_pixels():
                raise ValidationError(
                    _("The logo is %(width)s×%(height)s pixels; please send a smaller image.")
                    % {"width": width, "height": height},
                    code="logo_too_many_pixels",
                )
            image.verify()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        PILImage.DecompressionBombError,
    ):
        raise not_an_image from None
    finally:
        file.seek(0)
    return image_format


def logo_reencode(file, image_format):
    """The logo's pixels in a fresh file of the same format, without metadata."""
    file.seek(0)
    with PILImage.open(file) as image:
        image = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = BytesIO()
        options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
        image.save(out, format=image_format, **options)
    out.seek(0)
    return out


def logo_image_create(*, file, title, slug, user=None):
    """Validate ``file`` and store it as a Wagtail image; the caller links it to the page."""
    from wagtail.images import get_image_model

    image_format = logo_validate(file)
    content = logo_reencode(file, image_format)
    Image = get_image_model()
    image = Image(
        title=title[:255],
        file=ImageFile(content, name=f"logo-{slug}.{LOGO_FORMATS[image_format]}"),
        uploaded_by_user=user,
    )
    image._set_image_file_metadata()
    image.save()
    return image
