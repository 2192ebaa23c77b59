"""Mail goes through a queue: stored first, sent by the background worker, retried.

The tasks run on the real database backend with its worker (``db_worker --batch``), and mail
goes to a real SMTP address that nothing listens on (the outage), then to Django's in-memory
backend (the server is back): the invitation is saved and the person answered, the mail waits
with its error and its next attempt, and the next run sends it exactly once.
"""

import logging
import smtplib
import socket
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.roles import EDITORS_GROUP
from notifications.mail import backoff, mail_deliver, mail_queue, mail_send_due
from notifications.models import BouncedAddress, MailStatus, OutgoingMail
from partners.models import Invitation
from tests.factories import UserFactory
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_worker():
    """One batch of the real worker. The command sets its loggers' levels from its verbosity;
    they are put back, so later tests see the project's logging as configured."""
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS
    return settings


@pytest.fixture
def organization(queue):
    organization = approved_organization(admin=UserFactory(username="maria"), title="Pont")
    run_worker()  # the approval's own mail
    return organization


def invite(client, organization):
    client.force_login(organization.memberships.get().user)
    return client.post(
        reverse("portal:organization_invite", args=[organization.pk]),
        {"email": "nova@example.org", "role": "member", "language": "en"},
    )


def test_an_smtp_outage_keeps_the_mail_queued_and_a_later_run_sends_it_once(
    client, organization, queue, mailoutbox
):
    queue.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    queue.EMAIL_HOST, queue.EMAIL_PORT, queue.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    mailoutbox.clear()

    response = invite(client, organization)

    assert response.status_code == 302
    assert Invitation.objects.filter(email="nova@example.org").exists()
    mail = OutgoingMail.objects.get(to="nova@example.org")
    assert mail.status == MailStatus.QUEUED and mail.attempts == 0

    run_worker()  # the server is down
    mail.refresh_from_db()
    assert mail.status == MailStatus.QUEUED
    assert mail.attempts == 1
    assert "ConnectionRefused" in mail.last_error
    assert mail.next_attempt_at > timezone.now() + backoff(1) - timedelta(seconds=30)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == mail.next_attempt_at
    assert mailoutbox == []

    queue.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()  # the retry's time has not come
    assert mailoutbox == []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT and mail.attempts == 2 and mail.sent_at
    assert len(mailoutbox) == 1

    run_worker()
    assert mail_send_due(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nova@example.org"]
    assert message.from_email.startswith(f"{django_settings.WAGTAIL_SITE_NAME} <")
    assert message.alternatives and message.alternatives[0].mimetype == "text/html"


def test_the_sweep_sends_a_queued_mail_whose_task_was_lost(queue, mailoutbox):
    mail = mail_queue(to="a@example.org", subject="Hello", text="Text")
    DBTaskResult.objects.all().delete()
    assert mail_send_due() == 1
    assert [m.subject for m in mailoutbox] == ["Hello"]
    assert mail_send_due() == 0
    assert mail_deliver(mail.pk) is None


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient for good (SMTP 550)."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, b"5.1.1 no such user") for m in messages for address in m.to}
        )


def test_an_address_that_hard_bounces_gets_no_more_mail(queue, mailoutbox):
    queue.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    first = mail_queue(to="Gone@example.org", subject="One", text="Text")
    run_worker()
    first.refresh_from_db()
    assert first.status == MailStatus.FAILED and first.attempts == 1
    assert BouncedAddress.objects.filter(email="gone@example.org").exists()
    assert not DBTaskResult.objects.filter(status="READY").exists()

    queue.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    second = mail_queue(to="gone@example.org", subject="Two", text="Text")
    run_worker()
    second.refresh_from_db()
    assert second.status == MailStatus.SUPPRESSED
    assert mailoutbox == []


def test_retries_wait_longer_each_time_and_stop():
    assert backoff(1) == timedelta(minutes=1)
    assert backoff(2) == timedelta(minutes=2)
    assert backoff(4) == timedelta(minutes=8)
    assert backoff(30) == timedelta(hours=6)


@pytest.mark.django_db(transaction=False)
def test_editors_read_the_mail_log_and_nobody_else(client):
    mail = mail_queue(to="log@example.org", subject="Logged", text="Text")
    editor = UserFactory(username="eva")
    editor.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    access = Permission.objects.get(codename="access_admin")
    editor.user_permissions.add(access)
    index = reverse("wagtailsnippets_notifications_outgoingmail:list")
    inspect = reverse("wagtailsnippets_notifications_outgoingmail:inspect", args=[mail.pk])
    client.force_login(editor)
    response = client.get(index)
    assert response.status_code == 200 and b"log@example.org" in response.content
    assert client.get(inspect).status_code == 200
    assert client.get(reverse("wagtailsnippets_notifications_outgoingmail:add")).status_code in (
        302,
        403,
        404,
    )
    someone = UserFactory(username="sam")
    someone.user_permissions.add(access)
    client.force_login(someone)
    assert client.get(index).status_code in (302, 403)
