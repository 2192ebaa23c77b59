"""Editors' screens in the Wagtail admin: the listings (curated: status, expiry) and the
bookings (read only); organizations' people without admin access are kept out."""

import pytest
from django.test import Client
from django.urls import reverse

from resources import bookings
from resources.models import Listing

from .conftest import at, make_listing

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_editors_see_and_curate_listings_and_see_bookings(cluster):
    listing = make_listing(cluster, title="Projector of the owner")
    start, end = at(2, 10)
    bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=start,
        ends_at=end,
    )
    editor = client_for(cluster.editor)
    page = editor.get(reverse("wagtailsnippets_resources_listing:list"))
    assert page.status_code == 200 and "Projector of the owner" in page.content.decode()
    page = editor.get(reverse("wagtailsnippets_resources_booking:list"))
    assert page.status_code == 200 and "Other org" in page.content.decode()
    edit_url = reverse("wagtailsnippets_resources_listing:edit", args=[listing.pk])
    form = editor.get(edit_url)
    assert form.status_code == 200
    response = editor.post(
        edit_url,
        {
            "title": "Projector (checked)",
            "description": listing.description,
            "status": "closed",
            "expires_on": listing.expires_on.isoformat(),
            "photo_alt": "",
        },
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("Projector (checked)", "closed")


def test_bookings_are_read_only_for_editors(cluster):
    listing = make_listing(cluster)
    start, end = at(2, 10)
    (booking,) = bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=start,
        ends_at=end,
    )
    editor = client_for(cluster.editor)
    edit = editor.get(reverse("wagtailsnippets_resources_booking:edit", args=[booking.pk]))
    assert edit.status_code in (302, 403)
    inspect = editor.get(reverse("wagtailsnippets_resources_booking:inspect", args=[booking.pk]))
    assert inspect.status_code == 200


@pytest.mark.parametrize("who", ["owner_admin", "other_member", "no_org"])
def test_portal_people_are_kept_out(cluster, who):
    make_listing(cluster)
    response = client_for(getattr(cluster, who)).get(
        reverse("wagtailsnippets_resources_listing:list")
    )
    assert response.status_code in (302, 403)
    assert Listing.objects.count() == 1
