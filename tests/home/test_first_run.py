"""The first run is short and clear: seeding prints one line per step and sends no e-mail,
background tasks log only failures unless asked, the closing lines say where the portal, the
demo accounts and the e-mails are; debug mode shows the portal's own 404 page unless asked."""

import logging
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.conftest import BASE_DIR
from tests.factories import UserFactory

QUIET_LOGGERS = ("wagtail", "django_tasks", "modelsearch")


@pytest.mark.django_db
@pytest.mark.slow
def test_seed_demo_prints_one_line_per_step_and_counts_the_mail_it_does_not_send(settings, caplog):
    settings.DEBUG = True
    caplog.set_level(logging.INFO)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    steps = [line for line in lines if line.startswith("[")]
    total = int(steps[0].split("/")[1].split("]")[0])
    assert len(steps) == total >= 6
    assert [line.split("]")[0] for line in steps] == [f"[{n}/{total}" for n in range(1, total + 1)]
    assert len(lines) == total + 1, lines
    closing = lines[-1]
    assert closing.startswith("Demo cluster ready in")
    assert int(closing.split("; ")[1].split()[0]) > 0  # notifications were counted…
    assert mail.outbox == []  # …and none was sent
    # …nor is any sent later as a digest when the worker's clock first ticks.
    from notifications.digest import digests_send
    from notifications.models import Notification

    assert Notification.objects.filter(read_at__isnull=True).exists()
    tomorrow_evening = (timezone.now() + timedelta(days=1)).replace(hour=21, minute=0)
    assert digests_send(now=tomorrow_evening) == 0
    assert "Task id=" not in out.getvalue() and "Subject:" not in out.getvalue()
    chatter = [
        r
        for r in caplog.records
        if r.levelno < logging.WARNING and r.name.startswith(QUIET_LOGGERS)
    ]
    assert chatter == []


@pytest.mark.django_db
@pytest.mark.slow
def test_seed_demo_says_everything_at_verbosity_2(settings, caplog):
    settings.DEBUG = True
    caplog.set_level(logging.INFO)
    out = StringIO()
    call_command("seed_demo", stdout=out, verbosity=2)
    assert "accounts: admin, editor, coordinator, member, outsider" in out.getvalue()
    assert any(r.name.startswith("wagtail") for r in caplog.records)


def test_background_tasks_log_only_failures_unless_asked():
    assert logging.getLogger("django_tasks").getEffectiveLevel() == logging.WARNING
    code = (
        "import django, logging; django.setup(); "
        "print(logging.getLevelName(logging.getLogger('django_tasks').level))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cluster.settings.dev"}
    env["DJANGO_TASKS_LOG_LEVEL"] = "INFO"
    asked = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert asked.stdout.strip() == "INFO", asked.stderr


@pytest.mark.django_db
def test_closing_lines_name_the_portal_the_demo_accounts_and_the_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    for username in ("admin", "editor"):
        UserFactory(username=username)
    out = StringIO()
    call_command("portal_ready", "--url", "http://127.0.0.1:9000", stdout=out)
    text = out.getvalue()
    assert "The Social Cluster portal is on http://127.0.0.1:9000/" in text
    assert f"password {DEMO_PASSWORD}" in text
    assert f"admin   {DEMO_ACCOUNTS['admin']}" in text
    assert DEMO_ACCOUNTS["editor"] in text
    assert "outsider" not in text  # only the accounts that exist
    assert "e-mails: printed here, in this terminal" in text.splitlines()[-1]


@pytest.mark.django_db
def test_closing_lines_without_demo_data_say_how_to_make_it(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "smtp.example.org", 587
    out = StringIO()
    call_command("portal_ready", stdout=out)
    assert "no demo accounts (python manage.py seed_demo makes them)" in out.getvalue()
    assert "sent through smtp.example.org:587" in out.getvalue()


# --- 404 pages in debug mode ---------------------------------------------------------------

OUR_PAGE = "There is no page at this address"
DEBUG_PAGE = "You’re seeing this error because you have <code>DEBUG = True</code>"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",  # Wagtail's page route, whose view finds no page
        "/nothing-here.txt",  # no route at all
        "/portal/projects/999999/",  # a portal view's own 404
        "/impact/projects/999999/forecast.csv",
    ],
)
def test_debug_mode_shows_our_404_page_unless_asked(settings, path):
    settings.DEBUG = True
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert OUR_PAGE in html and DEBUG_PAGE not in html

    settings.DEBUG_404 = True
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 404
    assert DEBUG_PAGE in response.content.decode()


@pytest.mark.django_db
def test_debug_mode_keeps_the_pages_that_exist_and_the_slash_redirect(settings):
    settings.DEBUG = True
    assert Client().get("/").status_code == 200
    response = Client().get("/projects")
    assert response.status_code == 301 and response["Location"] == "/projects/"
