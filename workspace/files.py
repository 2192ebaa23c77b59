"""What a workspace file may be: its type judged by its content, its size within the limit.

``check_upload(upload)`` is the one place that decides, before anything is stored. The file
name's extension must be one we accept and the first bytes must be what that extension claims
(a renamed executable is refused as disguised). Returns ``(extension, content_type)``.
"""

from pathlib import PurePath

from django.conf import settings
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
DEFAULT_MAX_SIZE = 20 * 1024 * 1024


def max_size():
    return getattr(settings, "WORKSPACE_MAX_DOCUMENT_SIZE", DEFAULT_MAX_SIZE)


def accepted_extensions():
    return ", ".join(sorted(TYPES))


def _is_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def check_upload(upload):
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), code="missing")
    if upload.size > max_size():
        raise ValidationError(
            _("This file is %(size)s; a document may be at most %(max_size)s.")
            % {"size": filesizeformat(upload.size), "max_size": filesizeformat(max_size())},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in TYPES:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(types)s.")
            % {"types": accepted_extensions()},
            code="type",
        )
    content_type, signatures = TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        ok = _is_text(head)
    else:
        ok = head.startswith(signatures)
        if extension == "webp":
            ok = ok and head[8:12] == b"WEBP"
    if not ok:
        raise ValidationError(
            _("This file is not the %(type)s its name says it is: it was refused.")
            % {"type": extension.upper()},
            code="disguised",
        )
    return extension, content_type
