"""Mail through a queue: rendered and stored first, sent by the background worker, retried.

``mail_queue`` stores an ``OutgoingMail`` (subject, text and HTML parts already in the
recipient's language) and, once the transaction commits, enqueues ``mail_deliver_task`` on
Django's tasks framework. A request never talks to the mail server, so a server that is down
cannot turn a saved change into a 500.

``mail_deliver`` sends one queued mail. A failure is recorded on the row (attempts, last
error) and the next attempt is scheduled with exponential backoff (1, 2, 4 … minutes, at most
six hours apart; ``MAX_ATTEMPTS`` then it is marked failed). A permanent refusal of the
address (an SMTP 5xx for the recipient) marks the mail failed and records the address as
bounced: nothing more is queued for it. ``mail_send_due`` sends every queued mail whose time
has come (the sweep behind ``manage.py notifications_tick``), so a mail whose task was lost
still goes.

Each mail is locked while it is sent (``select_for_update``) and only a queued one is sent:
two workers never send the same mail twice.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from core.mail import one_line

from .models import BouncedAddress, MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)


def sender():
    """The portal's name with the configured sending address."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return formataddr((str(settings.WAGTAIL_SITE_NAME), address))


def backoff(attempts):
    """How long to wait after the ``attempts``-th failure."""
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), LONGEST_DELAY)


def mail_queue(*, to, subject, text, html="", headers=None, kind="", user=None):
    """Store a mail for ``to`` and have it sent once the transaction commits. Returns the
    ``OutgoingMail`` (status ``suppressed`` when the address bounced before)."""
    bounced = BouncedAddress.objects.filter(email__iexact=to).exists()
    mail = OutgoingMail.objects.create(
        user=user,
        to=to,
        kind=kind,
        subject=one_line(subject)[:255],
        text=text,
        html=html,
        headers=headers or {},
        status=MailStatus.SUPPRESSED if bounced else MailStatus.QUEUED,
    )
    if not bounced:
        transaction.on_commit(lambda: _enqueue(mail.pk), robust=True)
    return mail


def _enqueue(mail_id, run_after=None):
    from .tasks import mail_deliver_task

    task = mail_deliver_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the sweep (mail_send_due) sends it when its time comes
        task = task.using(run_after=run_after)
    task.enqueue(mail_id)


def _message(mail):
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.text,
        from_email=sender(),
        to=[mail.to],
        headers=mail.headers,
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    return message


def _refused_for_good(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _text in error.recipients.values())
    return False


def mail_deliver(mail_id):
    """Try to send one queued mail now (if it still is queued); returns its status."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=MailStatus.QUEUED)
            .first()
        )
        if mail is None:
            return None
        mail.attempts += 1
        try:
            _message(mail).send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - whatever the server says, it is logged
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            if _refused_for_good(error):
                mail.status = MailStatus.FAILED
                BouncedAddress.objects.get_or_create(
                    email=mail.to.lower(), defaults={"reason": mail.last_error}
                )
            elif mail.attempts >= MAX_ATTEMPTS:
                mail.status = MailStatus.FAILED
            else:
                mail.next_attempt_at = timezone.now() + backoff(mail.attempts)
            logger.warning("mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
        else:
            mail.status = MailStatus.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    if mail.status == MailStatus.QUEUED:
        _enqueue(mail.pk, run_after=mail.next_attempt_at)
    return mail.status


def mail_send_due(*, now=None):
    """Send every queued mail whose next attempt is due; returns how many went."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now)
    sent = 0
    for mail_id in due.order_by("next_attempt_at").values_list("pk", flat=True)[:500]:
        if mail_deliver(mail_id) == MailStatus.SENT:
            sent += 1
    return sent
