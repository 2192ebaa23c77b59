"""Digests: due by each person's wall clock, grouped, never empty, never repeating, once per
period however many runs (and whatever crashes in between)."""

from datetime import UTC, datetime

import pytest
from django.conf import settings

from notifications import digest as digest_module
from notifications.digest import digests_send, due_period
from notifications.models import DigestRun, DigestSettings, Notification
from notifications.services import notification_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 2026-12-07 is a Monday; Madrid is UTC+1 in winter.
MONDAY_9 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
TUESDAY_9 = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def notify(user, kind="projects.team_added", title="Joined", url="/portal/a/"):
    return notification_create(
        user=user, kind=kind, render=lambda: (title, ""), url=url, language="en"
    )


@pytest.fixture
def marta():
    return UserFactory(username="marta", email="marta@example.org")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return digests_send(now=now)

    return run


def digests(mailoutbox):
    return [m for m in mailoutbox if "not read yet" in m.subject]


# --- When -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "hour", "zone", "now", "period"),
    [
        ("daily", 8, "Europe/Madrid", at(2026, 12, 7, 6, 59), None),  # 07:59 in Madrid
        ("daily", 8, "Europe/Madrid", at(2026, 12, 7, 7, 0), "2026-12-07"),
        # The spring-forward day: 08:30 is CEST (UTC+2) already.
        ("daily", 8, "Europe/Madrid", at(2026, 3, 29, 5, 30), None),
        ("daily", 8, "Europe/Madrid", at(2026, 3, 29, 6, 30), "2026-03-29"),
        # 02:00 does not exist that day: the digest goes at 03:00, the first hour past it.
        ("daily", 2, "Europe/Madrid", at(2026, 3, 29, 1, 0), "2026-03-29"),
        # The fall-back day: 02:xx happens twice, one period all the same.
        ("daily", 2, "Europe/Madrid", at(2026, 10, 25, 0, 30), "2026-10-25"),
        ("daily", 2, "Europe/Madrid", at(2026, 10, 25, 1, 30), "2026-10-25"),
        ("daily", 8, "America/Bogota", at(2026, 12, 7, 12, 0), None),  # 07:00 in Bogotá
        ("weekly", 8, "Europe/Madrid", at(2026, 12, 7, 6, 59), None),  # Monday 07:59
        ("weekly", 8, "Europe/Madrid", at(2026, 12, 7, 7, 0), "2026-W50"),
        ("weekly", 8, "Europe/Madrid", at(2026, 12, 10, 3, 0), "2026-W50"),  # Thursday 04:00
        # Sunday 23:30 UTC is already Monday 00:30 in Madrid: a new week, not yet due.
        ("weekly", 8, "Europe/Madrid", at(2026, 12, 6, 22, 30), "2026-W49"),
        ("weekly", 8, "Europe/Madrid", at(2026, 12, 6, 23, 30), None),
        ("weekly", 8, "Europe/Madrid", at(2027, 1, 1, 12, 0), "2026-W53"),
        ("off", 8, "Europe/Madrid", at(2026, 12, 7, 12, 0), None),
    ],
)
def test_a_digest_is_due_by_the_persons_wall_clock(frequency, hour, zone, now, period):
    row = DigestSettings(frequency=frequency, hour=hour, time_zone=zone)
    assert due_period(row, now) == period


# --- What -------------------------------------------------------------------------------------


def test_a_digest_groups_collapses_and_never_repeats(marta, run, mailoutbox):
    for number in range(5):
        notify(marta, title=f"Team change {number}", url="/portal/a/")
    notify(marta, kind="knowledge.item", title="A new guide", url="/communities/x/")
    notify(marta, kind="projects.invitation", title="Invited")  # e-mailed at once
    read = notify(marta, title="Already read", url="/portal/b/")
    Notification.objects.filter(pk=read.pk).update(read_at=MONDAY_9)
    mailoutbox.clear()

    assert run(MONDAY_9) == 1
    (mail,) = digests(mailoutbox)
    assert mail.subject == "6 things you have not read yet"
    body = mail.body
    assert body.index("A new guide") < body.index("Team change 4")  # newest group first
    assert "Team change 4" in body and "Team change 2" in body
    assert "Team change 1" not in body and "and 2 more" in body
    assert "Invited" not in body and "Already read" not in body
    assert f"{settings.WAGTAILADMIN_BASE_URL}/communities/x/" in body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert run(MONDAY_9) == 0  # the same period again
    notify(marta, title="Later that day")
    assert run(at(2026, 12, 7, 20, 0)) == 0  # still Monday's period
    assert run(TUESDAY_9) == 1
    second = digests(mailoutbox)[1]
    assert "Later that day" in second.body and "Team change" not in second.body
    assert len(digests(mailoutbox)) == 2


def test_nothing_to_say_sends_nothing(marta, run, mailoutbox):
    notify(marta, kind="projects.invitation")  # e-mailed at once already
    read = notify(marta)
    Notification.objects.filter(pk=read.pk).update(read_at=MONDAY_9)
    mailoutbox.clear()
    assert run(MONDAY_9) == 0
    assert mailoutbox == [] and not DigestRun.objects.exists()


def test_no_digest_for_who_turned_it_off(marta, run, mailoutbox):
    DigestSettings.objects.create(user=marta, frequency="off")
    notify(marta)
    assert run(MONDAY_9) == 0 and digests(mailoutbox) == []


def test_a_crash_mid_run_sends_nothing_twice(marta, run, mailoutbox, monkeypatch):
    pau = UserFactory(username="pau", email="pau@example.org")
    notify(marta, title="For Marta")
    notify(pau, title="For Pau")
    real = digest_module.digest_groups

    def crash_for_marta(items):
        if items[0].user_id == marta.pk:
            raise RuntimeError("the process died here")
        return real(items)

    monkeypatch.setattr(digest_module, "digest_groups", crash_for_marta)
    assert run(MONDAY_9) == 1  # Pau's went; Marta's was rolled back whole
    assert [m.to for m in digests(mailoutbox)] == [["pau@example.org"]]
    assert Notification.objects.get(title="For Marta").emailed_at is None
    assert not DigestRun.objects.filter(user=marta).exists()

    monkeypatch.setattr(digest_module, "digest_groups", real)
    assert run(MONDAY_9) == 1
    assert sorted(m.to[0] for m in digests(mailoutbox)) == ["marta@example.org", "pau@example.org"]
    assert run(MONDAY_9) == 0
