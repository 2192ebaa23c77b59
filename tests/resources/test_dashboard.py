"""The portal dashboard's resources panel: bookings waiting for an admin's answer."""

import pytest
from django.test import Client

from resources import bookings

from .conftest import at, make_listing

pytestmark = pytest.mark.django_db


def test_the_panel_counts_bookings_waiting_for_the_owner_admin(cluster):
    listing = make_listing(cluster)
    for days in (3, 4):
        bookings.booking_request(
            user=cluster.other_member,
            listing=listing,
            organization=cluster.other,
            starts_at=at(days, 10)[0],
            ends_at=at(days, 10)[1],
        )
    for user, expected in ((cluster.owner_admin, True), (cluster.owner_member, False)):
        client = Client()
        client.force_login(user)
        page = client.get("/portal/").content.decode()
        assert "Shared resources" in page
        assert ("2 bookings wait for your answer." in page) is expected
