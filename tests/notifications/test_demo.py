"""The demo gives a few accounts notification preferences of their own (a weekly digest, a kind
switched off…), every kind one an app declares, and leaves a choice a person made alone."""

import io

import pytest
from django.core.management.base import BaseCommand

from core.demo import DemoContext
from notifications import demo
from notifications.kinds import notification_kinds
from notifications.models import Channel, DigestFrequency, DigestSettings, KindPreference
from notifications.selectors import channels_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def context():
    command = BaseCommand(stdout=io.StringIO())
    users = {name: UserFactory(username=name) for name in ("coordinator", "member", "outsider")}
    return DemoContext(command=command, users=users, verbosity=2)


def test_the_demo_people_have_preferences_of_their_own():
    ctx = context()
    demo.seed(ctx)
    coordinator, member, outsider = (ctx.users[n] for n in ("coordinator", "member", "outsider"))
    weekly = DigestSettings.objects.get(user=coordinator)
    assert (weekly.frequency, weekly.hour, weekly.time_zone) == (
        DigestFrequency.WEEKLY,
        9,
        "Europe/Madrid",
    )
    assert DigestSettings.objects.get(user=member).frequency == DigestFrequency.DAILY
    assert DigestSettings.objects.get(user=outsider).time_zone == "Atlantic/Canary"
    assert channels_for([member.pk], "chat.mention")[member.pk] == Channel.APP
    assert channels_for([outsider.pk], "opportunities.call_deadline")[outsider.pk] == Channel.OFF
    assert set(KindPreference.objects.values_list("kind", flat=True)) <= set(notification_kinds())
    assert KindPreference.objects.count() == sum(
        len(choice["kinds"]) for choice in demo.PREFERENCES.values()
    )


def test_a_second_run_leaves_what_people_chose_since():
    ctx = context()
    demo.seed(ctx)
    member = ctx.users["member"]
    KindPreference.objects.filter(user=member, kind="chat.mention").update(channel=Channel.EMAIL)
    DigestSettings.objects.filter(user=member).update(frequency=DigestFrequency.OFF)
    demo.seed(ctx)
    assert channels_for([member.pk], "chat.mention")[member.pk] == Channel.EMAIL
    assert DigestSettings.objects.get(user=member).frequency == DigestFrequency.OFF
