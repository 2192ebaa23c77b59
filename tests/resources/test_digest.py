"""Notifications of shared resources go through the notification centre and, for a person who
chose it, into the e-mail digest, grouped under their kind's label."""

import pytest

from notifications.digest import digest_groups, digest_send_one
from notifications.models import Channel, DigestFrequency, DigestSettings, Notification
from notifications.services import digest_settings_set, kind_preferences_set
from resources import bookings

from .conftest import at, make_listing

pytestmark = pytest.mark.django_db


def test_a_cancellation_waits_for_the_digest_of_who_chose_it(cluster):
    admin = cluster.owner_admin
    kind_preferences_set(user=admin, channels={"resources.booking_cancelled": Channel.DIGEST})
    digest_settings_set(user=admin, frequency=DigestFrequency.DAILY, hour=8, time_zone="UTC")
    listing = make_listing(cluster)
    start, end = at(3, 10)
    (booking,) = bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=start,
        ends_at=end,
    )
    bookings.booking_cancel(booking=booking, user=cluster.other_member)
    cancelled = Notification.objects.get(user=admin, kind="resources.booking_cancelled")
    assert cancelled.emailed_at is None
    (group,) = digest_groups([cancelled])
    assert str(group["label"]) == "Booking cancelled"
    settings_row = DigestSettings.objects.get(user=admin)
    # Other kinds keep their own channels; the cancellation is among the digest's items.
    assert digest_send_one(admin, settings_row, "2026-01-01") >= 1
    cancelled.refresh_from_db()
    assert cancelled.emailed_at is not None
