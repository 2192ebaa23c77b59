"""What a session's materials may be: a document or slides, judged by its first bytes.

``check_material(upload)`` decides before anything is stored: an accepted extension, content
that starts as that extension claims (a renamed executable is refused), not empty, not larger
than ``KNOWLEDGE_MATERIALS_MAX_SIZE`` (20 MB by default).
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
# extension → leading bytes the file must start with (None: plain text)
TYPES = {
    "pdf": (b"%PDF-",),
    "docx": (ZIP,),
    "pptx": (ZIP,),
    "xlsx": (ZIP,),
    "odt": (ZIP,),
    "txt": None,
}
DEFAULT_MAX_SIZE = 20 * 1024 * 1024


def max_size():
    return getattr(settings, "KNOWLEDGE_MATERIALS_MAX_SIZE", DEFAULT_MAX_SIZE)


def check_material(upload):
    """Return the upload's extension, or raise ``ValidationError`` on ``materials``."""
    if upload.size > max_size():
        raise ValidationError(
            {
                "materials": _("This file is %(size)s; materials may be at most %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_size())}
            }
        )
    if upload.size == 0:
        raise ValidationError({"materials": _("This file is empty.")})
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in TYPES:
        raise ValidationError(
            {
                "materials": _("Files of this type are not accepted. Accepted: %(types)s.")
                % {"types": ", ".join(sorted(TYPES))}
            }
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = TYPES[extension]
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A cut multi-byte character at the end of the sample is still text.
            ok = b"\x00" not in head and len(head) == 2048
        else:
            ok = b"\x00" not in head
    else:
        ok = head.startswith(signatures)
    if not ok:
        raise ValidationError(
            {"materials": _("This file is not what its name says it is: it was refused.")}
        )
    return extension
