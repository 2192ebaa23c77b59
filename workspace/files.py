"""What a workspace file may be: any type ``core.files`` knows, judged by its content, within
``WORKSPACE_MAX_DOCUMENT_SIZE`` (20 MB by default).

``check_upload(upload)`` decides before anything is stored and returns
``(extension, content_type)``.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from core.files import TYPES, document_check

DEFAULT_MAX_SIZE = 20 * 1024 * 1024
__all__ = ["TYPES", "accepted_extensions", "check_upload", "max_size"]


def max_size():
    return getattr(settings, "WORKSPACE_MAX_DOCUMENT_SIZE", DEFAULT_MAX_SIZE)


def accepted_extensions():
    return ", ".join(sorted(TYPES))


def check_upload(upload):
    return document_check(
        upload,
        extensions=TYPES,
        max_size=max_size(),
        too_large_message=_("This file is %(size)s; a document may be at most %(max_size)s."),
    )
