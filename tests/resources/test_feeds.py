"""A person's signed iCalendar feeds of their organizations' bookings (all of them, or one
organization's): they work without signing in, refuse a tampered token, and stop showing an
organization's bookings as soon as the person leaves it."""

import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from partners.services import membership_leave
from resources import bookings
from resources.selectors import feed_token

from .conftest import at, make_listing

pytestmark = pytest.mark.django_db


def book(cluster, listing, days=1):
    start, end = at(days, 10)
    return bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=start,
        ends_at=end,
        note="For the assembly",
    )[0]


def summaries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


def personal_url(user):
    return reverse("resources:personal_calendar", args=[feed_token(user)])


def organization_url(user, organization):
    return reverse(
        "resources:organization_private_calendar", args=[feed_token(user), organization.pk]
    )


def test_the_personal_feed_shows_the_bookings_of_ones_organizations(cluster):
    room = make_listing(cluster, title="Meeting room")
    book(cluster, room)
    make_listing(cluster, title="Hall")  # not booked: not in any feed
    # The booker's side and the owner's side both see it, with who booked what.
    for person in (cluster.other_member, cluster.owner_member):
        got = summaries(Client().get(personal_url(person)))
        assert got == ["Meeting room: Owner org for Other org"]
    assert summaries(Client().get(personal_url(cluster.no_org))) == []


def test_the_private_feeds_are_not_cached_by_others(cluster):
    response = Client().get(personal_url(cluster.other_member))
    assert "no-store" in response["Cache-Control"]


def test_a_tampered_token_is_refused(cluster):
    token = feed_token(cluster.other_member)
    bad = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = Client().get(reverse("resources:personal_calendar", args=[bad]))
    assert response.status_code == 404
    response = Client().get(
        reverse("resources:organization_private_calendar", args=[bad, cluster.other.pk])
    )
    assert response.status_code == 404


def test_the_organization_feed_is_only_for_its_people(cluster):
    room = make_listing(cluster)
    book(cluster, room)
    assert len(summaries(Client().get(organization_url(cluster.other_member, cluster.other))))
    assert Client().get(organization_url(cluster.owner_member, cluster.other)).status_code == 404


def test_leaving_the_organization_ends_its_feeds(cluster):
    room = make_listing(cluster)
    book(cluster, room)
    personal = personal_url(cluster.other_member)
    one = organization_url(cluster.other_member, cluster.other)
    assert summaries(Client().get(personal)) != []
    membership_leave(organization=cluster.other, user=cluster.other_member)
    assert summaries(Client().get(personal)) == []
    assert Client().get(one).status_code == 404


def test_an_inactive_account_has_no_feed(cluster):
    url = personal_url(cluster.other_member)
    cluster.other_member.is_active = False
    cluster.other_member.save()
    assert Client().get(url).status_code == 404


def test_the_links_are_on_my_resources(cluster):
    client = Client()
    client.force_login(cluster.other_member)
    page = client.get(reverse("resources:resources_mine")).content.decode()
    assert personal_url(cluster.other_member) in page
    assert organization_url(cluster.other_member, cluster.other) in page


def test_the_address_stays_the_same_for_the_same_person(cluster, monkeypatch):
    """A calendar app subscribes once: the page must show that same address an hour later."""
    first = personal_url(cluster.other_member)
    later = time.time() + 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert personal_url(cluster.other_member) == first
    assert personal_url(cluster.owner_member) != first
