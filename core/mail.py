"""Text that goes into e-mail headers.

Subjects are made one line first: any run of control characters or whitespace becomes one
space (``core.validators`` refuses them in names, but a value stored before that, or coming
from elsewhere, must not break the mail). Mail itself is queued and sent in the background by
``notifications.mail`` (docs/notifications.md).
"""

import re

_BREAKS = re.compile("[\\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text):
    """``text`` with every run of whitespace or control characters made one space."""
    return _BREAKS.sub(" ", str(text)).strip()
