"""A listing's photo: checked and re-encoded without metadata by the shared upload check, shown
with its description as alt text in the directory card and on the listing's page; a bad file or
a photo without a description is refused with nothing stored."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model

from resources import services
from resources.models import Listing
from tests.security.test_uploads import assert_no_metadata, jpeg_with_gps, php_renamed_png

from .conftest import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(**changes):
    data = {
        "type": "offer",
        "kind": "room",
        "title": "Sunny room",
        "description": "For twelve.",
        "quantity": 1,
        "conditions": "free",
        "audience": "public",
        "expires_on": "",
        "photo_alt": "A bright room with twelve chairs",
    }
    data.update(changes)
    return data


def test_a_photo_is_stored_without_metadata_and_shown_with_its_alt_text(cluster):
    listing = make_listing(
        cluster, photo_file=jpeg_with_gps(), photo_alt="A bright room with twelve chairs"
    )
    listing.refresh_from_db()
    with listing.photo.file.open("rb") as stored:
        assert_no_metadata(stored.read())
    detail = Client().get(reverse("resources:resource_detail", args=[listing.pk]))
    assert 'alt="A bright room with twelve chairs"' in detail.content.decode()
    directory = Client().get(reverse("resources:resource_directory"))
    assert 'alt="A bright room with twelve chairs"' in directory.content.decode()


def test_the_form_takes_a_photo_and_its_description(cluster):
    client = client_for(cluster.owner_admin)
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        reverse("resources:listing_create"),
        form_data(organization=cluster.owner.pk, expires_on=expires, photo=jpeg_with_gps()),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = Listing.objects.get()
    assert listing.photo_id and listing.photo_alt == "A bright room with twelve chairs"


def test_a_photo_without_a_description_is_refused(cluster):
    with pytest.raises(ValidationError) as error:
        make_listing(cluster, photo_file=jpeg_with_gps(), photo_alt=" ")
    assert "photo_alt" in error.value.message_dict
    assert not Listing.objects.exists()
    assert not get_image_model().objects.exists()


def test_a_file_that_is_not_an_image_is_refused(cluster):
    with pytest.raises(ValidationError) as error:
        make_listing(cluster, photo_file=php_renamed_png(), photo_alt="A room")
    assert "photo" in error.value.message_dict
    assert not Listing.objects.exists()
    assert not get_image_model().objects.exists()


def test_replacing_or_removing_the_photo_deletes_the_old_image(cluster):
    listing = make_listing(cluster, photo_file=jpeg_with_gps(), photo_alt="A room")
    first = Listing.objects.get(pk=listing.pk).photo_id
    services.listing_update(
        listing=listing, user=cluster.owner_admin, photo_file=jpeg_with_gps("new.jpg")
    )
    second = Listing.objects.get(pk=listing.pk).photo_id
    assert second != first
    assert list(get_image_model().objects.values_list("pk", flat=True)) == [second]
    services.listing_update(listing=listing, user=cluster.owner_admin, remove_photo=True)
    listing.refresh_from_db()
    assert (listing.photo_id, listing.photo_alt) == (None, "")
    assert not get_image_model().objects.exists()


def test_the_directory_with_photos_keeps_its_query_count(
    cluster, django_assert_max_num_queries, settings
):
    settings.PAGECACHE_ENABLED = False
    url = reverse("resources:resource_directory")
    client = Client()
    for count in (3, 12):
        for number in range(Listing.objects.count(), count):
            make_listing(
                cluster, title=f"Room {number}", photo_file=jpeg_with_gps(), photo_alt="Room"
            )
        client.get(url)  # the renditions are made on the first view
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.content.decode().count('alt="Room"') == count
