"""A small cluster for the resources tests: the owner organization (an admin and a member),
another organization (an admin and a member), a person in no organization and an editor."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from resources import services
from tests.factories import UserFactory
from tests.utils import approved_organization, editor, organization_with_member


@dataclass
class Cluster:
    owner: object
    owner_admin: object
    owner_member: object
    other: object
    other_admin: object
    other_member: object
    no_org: object
    editor: object


def build_cluster():
    owner_admin = UserFactory(username="owner_admin")
    owner, owner_member = organization_with_member(
        admin=owner_admin, member=UserFactory(username="owner_member"), title="Owner org"
    )
    other_admin = UserFactory(username="other_admin")
    other, other_member = organization_with_member(
        admin=other_admin, member=UserFactory(username="other_member"), title="Other org"
    )
    return Cluster(
        owner=owner,
        owner_admin=owner_admin,
        owner_member=owner_member,
        other=other,
        other_admin=other_admin,
        other_member=other_member,
        no_org=UserFactory(username="no_org"),
        editor=editor(),
    )


@pytest.fixture
def cluster(db):
    return build_cluster()


def at(days, hour, hours=2):
    """A local time ``days`` from today at ``hour``, and ``hours`` later."""
    day = timezone.localdate() + timedelta(days=days)
    start = timezone.make_aware(datetime.combine(day, time(hour)))
    return start, start + timedelta(hours=hours)


def make_listing(cluster, **fields):
    values = {
        "type": "offer",
        "kind": "room",
        "title": "Meeting room",
        "description": "A room for twelve.",
        "audience": "public",
        "expires_on": timezone.localdate() + timedelta(days=60),
    }
    values.update(fields)
    return services.listing_create(user=cluster.owner_admin, organization=cluster.owner, **values)


__all__ = ["approved_organization", "at", "build_cluster", "make_listing", "transaction"]
