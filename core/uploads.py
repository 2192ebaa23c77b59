"""Uploaded images: judged by their content, limited in size and pixels, stored without metadata.

``sanitize_image(upload)`` is the one place that decides. It refuses, with a message in the
user's language, anything that is not a JPEG, PNG, WebP or GIF picture by its content (the
file name and the browser's content type are ignored), anything over
``WAGTAILIMAGES_MAX_UPLOAD_SIZE`` bytes or ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` pixels, and files
that do not decode. What it accepts it re-encodes, so the stored file carries no EXIF (camera,
GPS position), XMP or comments, and nothing appended to or hidden in the original.

Use it through ``SafeImageField`` in a form (e.g. an organization's logo)::

    logo = SafeImageField(label=_("Logo"), required=False)
    ...
    image = get_image_model().objects.create(title=..., file=form.cleaned_data["logo"])

Wagtail's own image uploads go through ``core.wagtail_images.SafeImageForm``
(``WAGTAILIMAGES_IMAGE_FORM_BASE``). This module imports no models, so forms and validators
anywhere may import it.
"""

import warnings
from io import BytesIO
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Pillow format name → (file extension, content type)
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
ACCEPT = ",".join(content_type for _ext, content_type in FORMATS.values())
# What re-encoding may carry over from the original: how to draw it, never who took it where.
KEPT_INFO = {"transparency", "duration", "loop", "background", "disposal"}

MESSAGES = {
    "too_large": _("This file is %(size)s; an image may be at most %(max_size)s."),
    "not_an_image": _(
        "This file is not a picture we can use. Upload a JPEG, PNG, WebP or GIF image."
    ),
    "format": _("%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF image."),
    "too_many_pixels": _(
        "This image is %(width)s × %(height)s pixels (%(megapixels)s megapixels); an image "
        "may have at most %(max_megapixels)s megapixels. Make it smaller and try again."
    ),
    "damaged": _("This image is damaged or incomplete and cannot be read. Try another file."),
}


def max_upload_size():
    return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE


def max_pixels():
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def _error(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params)


def _megapixels(pixels):
    return f"{pixels / 1_000_000:.0f}" if pixels >= 10_000_000 else f"{pixels / 1_000_000:.1f}"


def _open(upload):
    """Open the image lazily (header only), refusing decompression bombs as too big."""
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(upload)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            limit = max_pixels()
            raise _error(
                "too_many_pixels",
                width="?",
                height="?",
                megapixels=f"> {_megapixels(Image.MAX_IMAGE_PIXELS)}",
                max_megapixels=_megapixels(limit),
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _error("not_an_image") from None


def _check(upload):
    """Validate without decoding the pixels; return the Pillow format name."""
    if max_upload_size() is not None and upload.size > max_upload_size():
        raise _error(
            "too_large",
            size=filesizeformat(upload.size),
            max_size=filesizeformat(max_upload_size()),
        )
    image = _open(upload)
    if image.format not in FORMATS:
        raise _error("format", format=image.format or _("Unknown"))
    width, height = image.size
    try:
        frames = getattr(image, "n_frames", 1)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _error("damaged") from None
    if max_pixels() is not None and width * height * frames > max_pixels():
        raise _error(
            "too_many_pixels",
            width=width,
            height=height,
            megapixels=_megapixels(width * height * frames),
            max_megapixels=_megapixels(max_pixels()),
        )
    try:
        _open(upload).verify()  # on a fresh handle: counting frames moved this one
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        raise _error("damaged") from None
    return image.format


def _clean_info(image):
    image.info = {k: v for k, v in image.info.items() if k in KEPT_INFO}
    return image


def _reencode(upload, image_format):
    """Decode every pixel and write a fresh file of the same format, without metadata."""
    image = _open(upload)
    try:
        image.load()
        icc_profile = image.info.get("icc_profile")
        options = {"icc_profile": icc_profile} if icc_profile else {}
        out = BytesIO()
        if getattr(image, "n_frames", 1) > 1:  # animated GIF or WebP: keep every frame
            frames = [_clean_info(frame.copy()) for frame in ImageSequence.Iterator(image)]
            durations = [frame.info.get("duration", 100) for frame in frames]
            frames[0].save(
                out,
                image_format,
                save_all=True,
                append_images=frames[1:],
                duration=durations,
                loop=image.info.get("loop", 0),
                **options,
            )
        else:
            # Turn the picture the way the camera said before the orientation tag goes.
            image = _clean_info(ImageOps.exif_transpose(image))
            if image_format == "JPEG":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=90, exif=b"", **options)
            elif image_format == "WEBP":
                image.save(out, "WEBP", quality=90, exif=b"", **options)
            else:
                image.save(out, image_format, **options)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a file that verifies but does not decode
        raise _error("damaged") from None
    return out.getvalue()


def _replace_content(upload, data, image_format):
    """Put the clean bytes into the uploaded file object itself.

    In place, so whoever holds the same object (Wagtail's multiple uploader keeps
    ``request.FILES`` for a second step) stores the clean file too.
    """
    extension, content_type = FORMATS[image_format]
    if hasattr(upload, "temporary_file_path"):  # large uploads live in a temporary file
        upload.file.seek(0)
        upload.file.truncate()
        upload.file.write(data)
        upload.file.flush()
    else:
        upload.file = BytesIO(data)
    upload.file.seek(0)
    upload.size = len(data)
    upload.content_type = content_type
    stem = PurePath(upload.name or "image").stem or "image"
    upload.name = f"{stem}.{extension}"
    return upload


def sanitize_image(upload):
    """Validate an uploaded image and re-encode it without metadata, in place.

    Raises ``ValidationError`` with a translated message; returns the same file object.
    A file this function already cleaned is returned as it is (a form and then a service may
    both check the same upload; re-encoding twice would only lose quality).
    """
    if getattr(upload, "_cluster_sanitized", False):
        return upload
    image_format = _check(upload)
    upload = _replace_content(upload, _reencode(upload, image_format), image_format)
    upload._cluster_sanitized = True
    return upload


class SafeImageField(forms.ImageField):
    """A form field for pictures: ``sanitize_image`` on upload, returning the clean file."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return sanitize_image(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs
