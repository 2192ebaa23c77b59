"""A small cluster for the opportunities tests: two organizations (an admin and a member each),
a person in no organization and an editor; and helpers that build calls, posts and events."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from opportunities import services
from opportunities.models import Event, FundingCall, MeetingSlot, Moderation
from tests.factories import UserFactory
from tests.utils import editor, organization_with_member


@dataclass
class Cluster:
    own: object
    own_admin: object
    own_member: object
    other: object
    other_admin: object
    other_member: object
    no_org: object
    editor: object


def build_cluster():
    own_admin = UserFactory(username="own_admin")
    own, own_member = organization_with_member(
        admin=own_admin, member=UserFactory(username="own_member"), title="Own org", kind="ngo"
    )
    other_admin = UserFactory(username="other_admin")
    other, other_member = organization_with_member(
        admin=other_admin,
        member=UserFactory(username="other_member"),
        title="Other org",
        kind="cooperative",
    )
    return Cluster(
        own=own,
        own_admin=own_admin,
        own_member=own_member,
        other=other,
        other_admin=other_admin,
        other_member=other_member,
        no_org=UserFactory(username="no_org"),
        editor=editor(),
    )


def a_region():
    from taxonomy.models import Region

    return Region.objects.get_or_create(slug="barcelones", defaults={"name": "Barcelonès"})[0]


@pytest.fixture
def cluster(db):
    return build_cluster()


def make_call(cluster, *, days=30, kinds=("ngo",), status=Moderation.PUBLISHED, **fields):
    values = {
        "title": "Social innovation call",
        "funder_type": "eu",
        "funder": "European Commission",
        "programme": "ESF+",
        "deadline": timezone.localdate() + timedelta(days=max(days, 1)),
    }
    values.update(fields)
    call = services.call_propose(user=cluster.editor, eligible_kinds=kinds, **values)
    # Past deadlines and waiting calls are states a call reaches, not ones it is proposed in.
    FundingCall.objects.filter(pk=call.pk).update(
        status=status, deadline=timezone.localdate() + timedelta(days=days)
    )
    call.refresh_from_db()
    return call


def make_post(cluster, *, publish=True, days=60, **fields):
    values = {
        "direction": "seek",
        "title": "Partner for a youth project",
        "purpose": "We seek a cooperative with experience in training.",
        "expires_on": timezone.localdate() + timedelta(days=days),
    }
    values.update(fields)
    post = services.post_create(user=cluster.own_admin, organization=cluster.own, **values)
    if publish:
        services.post_review(user=cluster.editor, post=post, approve=True)
    return post


def make_event(*, capacity=10, slots=2, days=10):
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), time(9))
    )
    event = Event.objects.create(
        title="Cluster meeting day",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        capacity=capacity,
        published=True,
    )
    for n in range(slots):
        MeetingSlot.objects.create(
            event=event,
            starts_at=start + timedelta(minutes=30 * n),
            ends_at=start + timedelta(minutes=30 * (n + 1)),
        )
    return event
