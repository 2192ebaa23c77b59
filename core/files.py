"""Uploaded documents (PDF, office files, plain text), judged by their content.

``document_check(upload, extensions=..., max_size=...)`` is the one place that decides, before
anything is stored: the upload is not missing, not empty, within ``max_size`` bytes; its name's
extension is one of ``extensions`` (each a key of ``TYPES``) and its first bytes are what that
extension claims, so a renamed executable is refused as disguised. The browser's content type
is ignored. Returns ``(extension, content_type)``; refuses with a ``ValidationError`` in the
user's language whose ``code`` is ``missing``, ``too_large``, ``empty``, ``type`` or
``disguised``.

The workspace's documents, the communities' session materials and the calls' attachments each
pass their own extensions, limit and (optionally) wording of the size message. Images go
through ``core.uploads`` instead, which re-encodes them. This module imports no models.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
# extension → (content type, leading bytes it must start with, or None for plain text)
TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", (b"RIFF",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    "odp": ("application/vnd.oasis.opendocument.presentation", (ZIP,)),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
    "md": ("text/markdown", None),
}
SAMPLE = 2048


def _is_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return len(head) == SAMPLE and error.start >= len(head) - 3
    return True


def _matches(extension, head):
    signatures = TYPES[extension][1]
    if signatures is None:
        return _is_text(head)
    ok = head.startswith(signatures)
    if extension == "webp":
        ok = ok and head[8:12] == b"WEBP"
    return ok


def document_check(upload, *, extensions, max_size, too_large_message=None):
    """Return ``(extension, content_type)`` of an acceptable ``upload``, or refuse it.

    ``too_large_message`` (translated, with ``%(size)s`` and ``%(max_size)s`` or ``%(max)s``)
    says what the limit is for, e.g. "a document may be at most …"."""
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), code="missing")
    if upload.size > max_size:
        message = too_large_message or _(
            "This file is %(size)s; a file may be at most %(max_size)s."
        )
        limit = filesizeformat(max_size)
        raise ValidationError(
            str(message) % {"size": filesizeformat(upload.size), "max_size": limit, "max": limit},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in extensions:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(extensions))},
            code="type",
        )
    upload.seek(0)
    head = upload.read(SAMPLE)
    upload.seek(0)
    if not _matches(extension, head):
        raise ValidationError(
            _("This file is not the %(type)s its name says it is: it was refused.")
            % {"type": extension.upper()},
            code="disguised",
        )
    return extension, TYPES[extension][0]
