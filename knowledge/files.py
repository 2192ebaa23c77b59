"""What a session's materials may be: a document or slides, judged by its content
(``core.files``), not empty, not larger than ``KNOWLEDGE_MATERIALS_MAX_SIZE`` (20 MB by
default). ``check_material(upload)`` decides before anything is stored."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.files import document_check

EXTENSIONS = ("pdf", "docx", "pptx", "xlsx", "odt", "txt")
DEFAULT_MAX_SIZE = 20 * 1024 * 1024


def max_size():
    return getattr(settings, "KNOWLEDGE_MATERIALS_MAX_SIZE", DEFAULT_MAX_SIZE)


def check_material(upload):
    """Return the upload's extension, or raise ``ValidationError`` on ``materials``."""
    try:
        extension, _content_type = document_check(
            upload,
            extensions=EXTENSIONS,
            max_size=max_size(),
            too_large_message=_("This file is %(size)s; materials may be at most %(max)s."),
        )
    except ValidationError as error:
        raise ValidationError({"materials": error.messages}) from error
    return extension
