"""Sending e-mail after a write has committed, without turning a mail problem into a 500.

An e-mail goes once the transaction that caused it commits (``transaction.on_commit``), so
by then the invitation or notification is stored whatever happens to the e-mail. If building
or sending it fails (a subject Django refuses as a header injection, a mail server that is
down), raising would answer the person with a server error for something that was done: the
failure is logged instead, and the row stays for the person to see in the portal.

Subjects are made one line first: any run of control characters or whitespace becomes one
space (``core.validators`` refuses them in names, but a value stored before that, or coming
from elsewhere, must not break the mail).
"""

import logging
import re

from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)

_BREAKS = re.compile("[\\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text):
    """``text`` with every run of whitespace or control characters made one space."""
    return _BREAKS.sub(" ", str(text)).strip()


def mail_send(subject, body, recipients, *, from_email=None):
    """Send now; True if the backend took it. Failures are logged, never raised."""
    try:
        send_mail(one_line(subject), body, from_email, list(recipients), fail_silently=False)
    except Exception:  # noqa: BLE001 - BadHeaderError, SMTP errors…: see the module docstring
        logger.exception("e-mail to %d recipient(s) not sent", len(recipients))
        return False
    return True


def mail_send_on_commit(subject, body, recipients, *, from_email=None):
    """Send once the current transaction commits (at once outside one)."""
    recipients = list(recipients)
    transaction.on_commit(
        lambda: mail_send(subject, body, recipients, from_email=from_email), robust=True
    )
