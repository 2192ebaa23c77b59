"""A listing's photos: the cover and up to five more, each with what it shows; all of them on
the listing's page, the cover alone in the directory (with no query more per row). The owner's
admins add and remove them on the listing's *Photos* page; a photo without a description, or
one over the cap, is refused with nothing stored."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model

from resources import services
from resources.models import MAX_PHOTOS, Listing, ListingPhoto
from tests.security.test_uploads import jpeg_with_gps

from .conftest import make_listing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def photos_url(listing):
    return reverse("resources:listing_photos", args=[listing.pk])


def add(cluster, listing, alt, user=None):
    return services.listing_photo_add(
        listing=listing, user=user or cluster.owner_admin, file=jpeg_with_gps(), alt=alt
    )


def stored():
    return (
        list(Listing.objects.values_list("pk", "photo_id", "photo_alt")),
        list(ListingPhoto.objects.values_list("pk", "image_id", "alt")),
        get_image_model().objects.count(),
    )


def test_several_photos_are_shown_with_their_alt_texts_the_cover_alone_in_the_directory(
    cluster,
):
    listing = make_listing(cluster)
    for alt in ("The room from the door", "Twelve chairs", "The projector"):
        add(cluster, listing, alt)
    listing.refresh_from_db()
    assert listing.photo_alt == "The room from the door"  # the first one is the cover
    assert list(listing.extra_photos.values_list("alt", flat=True)) == [
        "Twelve chairs",
        "The projector",
    ]
    page = Client().get(reverse("resources:resource_detail", args=[listing.pk])).content.decode()
    for alt in ("The room from the door", "Twelve chairs", "The projector"):
        assert f'alt="{alt}"' in page
    assert page.index("The room from the door") < page.index("Twelve chairs")
    directory = Client().get(reverse("resources:resource_directory")).content.decode()
    assert 'alt="The room from the door"' in directory
    assert "Twelve chairs" not in directory


def test_the_owner_adds_and_removes_photos_on_the_photos_page(cluster):
    listing = make_listing(cluster)
    client = client_for(cluster.owner_admin)
    for alt in ("Cover", "Second"):
        response = client.post(
            photos_url(listing), {"action": "add", "image": jpeg_with_gps(), "alt": alt}
        )
        assert response.status_code == 302
    page = client.get(photos_url(listing)).content.decode()
    assert 'alt="Cover"' in page and 'alt="Second"' in page
    second = ListingPhoto.objects.get()
    # Removing the cover: the next photo takes its place and the old image goes.
    assert client.post(photos_url(listing), {"action": "remove", "id": "cover"}).status_code == 302
    listing.refresh_from_db()
    assert (listing.photo_id, listing.photo_alt) == (second.image_id, "Second")
    assert not ListingPhoto.objects.exists()
    assert get_image_model().objects.count() == 1
    third = add(cluster, listing, "Third")
    response = client.post(photos_url(listing), {"action": "remove", "id": third.pk})
    assert response.status_code == 302
    assert not ListingPhoto.objects.exists()
    assert get_image_model().objects.count() == 1


def test_a_photo_without_what_it_shows_is_refused_with_nothing_stored(cluster):
    listing = make_listing(cluster)
    add(cluster, listing, "Cover")
    before = stored()
    response = client_for(cluster.owner_admin).post(
        photos_url(listing), {"action": "add", "image": jpeg_with_gps(), "alt": "  "}
    )
    assert response.status_code == 200
    assert "Say what the photo shows" in response.content.decode()
    assert stored() == before
    with pytest.raises(ValidationError) as error:
        add(cluster, listing, "")
    assert "alt" in error.value.message_dict
    assert stored() == before


def test_more_photos_than_the_cap_are_refused_with_nothing_stored(cluster):
    listing = make_listing(cluster)
    for number in range(MAX_PHOTOS):
        add(cluster, listing, f"Photo {number}")
    before = stored()
    assert before[2] == MAX_PHOTOS
    with pytest.raises(ValidationError) as error:
        add(cluster, listing, "One too many")
    assert "image" in error.value.message_dict
    assert stored() == before
    client = client_for(cluster.owner_admin)
    page = client.get(photos_url(listing)).content.decode()
    assert 'name="image"' not in page  # no form once the cap is reached
    response = client.post(
        photos_url(listing), {"action": "add", "image": jpeg_with_gps(), "alt": "Again"}
    )
    assert response.status_code == 200
    assert stored() == before


@pytest.mark.parametrize("role", ["owner_admin", "editor"])
def test_managers_may_add_and_remove_photos(cluster, role):
    listing = make_listing(cluster)
    add(cluster, listing, "Cover")
    client = client_for(getattr(cluster, role))
    response = client.post(
        photos_url(listing), {"action": "add", "image": jpeg_with_gps(), "alt": "More"}
    )
    assert response.status_code == 302
    extra = ListingPhoto.objects.get()
    response = client.post(photos_url(listing), {"action": "remove", "id": extra.pk})
    assert response.status_code == 302
    assert not ListingPhoto.objects.exists()


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("anonymous", "login"),
        ("owner_member", 403),
        ("other_admin", 403),
        ("other_member", 403),
        ("no_org", 403),
    ],
)
def test_others_cannot_add_or_remove_photos(cluster, role, outcome):
    listing = make_listing(cluster)
    add(cluster, listing, "Cover")
    extra = add(cluster, listing, "More")
    before = stored()
    client = Client() if role == "anonymous" else client_for(getattr(cluster, role))
    for data in (
        {"action": "add", "image": jpeg_with_gps(), "alt": "Mine"},
        {"action": "remove", "id": extra.pk},
        {"action": "remove", "id": "cover"},
    ):
        response = client.post(photos_url(listing), data)
        if outcome == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == outcome
    assert stored() == before
    with pytest.raises(PermissionDenied):  # the service refuses on its own too
        add(cluster, listing, "Mine", user=cluster.other_admin)
    assert stored() == before


def test_editors_see_every_photo_in_the_admin(cluster):
    listing = make_listing(cluster)
    add(cluster, listing, "Cover shot")
    add(cluster, listing, "Side view")
    page = client_for(cluster.editor).get(
        reverse("wagtailsnippets_resources_listing:inspect", args=[listing.pk])
    )
    assert page.status_code == 200
    assert "Cover shot; Side view" in page.content.decode()


def test_the_directory_with_several_photos_keeps_its_query_count(
    cluster, django_assert_max_num_queries, settings
):
    settings.PAGECACHE_ENABLED = False
    url = reverse("resources:resource_directory")
    client = Client()
    for count in (3, 60):
        for number in range(Listing.objects.count(), count):
            listing = make_listing(cluster, title=f"Room {number}")
            add(cluster, listing, "Room")
            add(cluster, listing, "Chairs")
        client.get(url)  # the renditions are made on the first view
        with django_assert_max_num_queries(16):
            response = client.get(url)
        page = response.content.decode()
        shown = min(count, 24)  # one page of the directory
        assert page.count('alt="Room"') == shown and "Chairs" not in page
