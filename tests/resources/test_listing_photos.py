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
        {"action": "up", "id": extra.pk},
        {"action": "down", "id": "cover"},
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


def order(listing):
    listing.refresh_from_db()
    return [listing.photo_alt] + list(listing.extra_photos.values_list("alt", flat=True))


def test_a_photo_moved_to_the_first_place_becomes_the_cover(cluster):
    listing = make_listing(cluster)
    for alt in ("Door", "Chairs", "Projector"):
        add(cluster, listing, alt)
    projector = listing.extra_photos.get(alt="Projector")
    projector_image = projector.image_id
    client = client_for(cluster.owner_admin)
    response = client.post(photos_url(listing), {"action": "up", "id": projector.pk})
    assert response.status_code == 302
    assert order(listing) == ["Door", "Projector", "Chairs"]
    moved = listing.extra_photos.get(alt="Projector")
    response = client.post(photos_url(listing), {"action": "up", "id": moved.pk})
    assert order(listing) == ["Projector", "Door", "Chairs"]
    assert listing.photo_id == projector_image  # the directory now shows it
    client.post(photos_url(listing), {"action": "down", "id": "cover"})
    assert order(listing) == ["Door", "Projector", "Chairs"]
    assert get_image_model().objects.count() == 3  # moving deletes nothing


def test_a_photo_with_no_place_to_go_or_not_of_this_listing_changes_nothing(cluster):
    listing = make_listing(cluster)
    add(cluster, listing, "Door")
    last = add(cluster, listing, "Chairs")
    other = make_listing(cluster)
    foreign = add(cluster, other, "Elsewhere")
    before = stored()
    assert not services.listing_photo_move(
        listing=listing, user=cluster.owner_admin, photo_id="cover", direction="up"
    )
    assert not services.listing_photo_move(
        listing=listing, user=cluster.owner_admin, photo_id=last.pk, direction="down"
    )
    client = client_for(cluster.owner_admin)
    response = client.post(photos_url(listing), {"action": "up", "id": foreign.pk}, follow=True)
    assert "not one of this listing" in response.content.decode()
    response = client.post(photos_url(listing), {"action": "up", "id": "nonsense"}, follow=True)
    assert "not one of this listing" in response.content.decode()
    with pytest.raises(ValidationError):
        services.listing_photo_move(
            listing=listing, user=cluster.owner_admin, photo_id=last.pk, direction="sideways"
        )
    assert stored() == before


def test_the_photos_page_offers_moves_named_by_what_each_photo_shows(cluster):
    listing = make_listing(cluster)
    add(cluster, listing, "Door")
    add(cluster, listing, "Chairs")
    html = client_for(cluster.owner_admin).get(photos_url(listing)).content.decode()
    assert html.count('value="up"') == 1 and html.count('value="down"') == 1
    assert "Move later<span class=\"visually-hidden\">: Door</span>" in html
    assert "Move earlier<span class=\"visually-hidden\">: Chairs</span>" in html


def test_a_deleted_listing_takes_its_images_with_it(cluster, django_capture_on_commit_callbacks):
    listing = make_listing(cluster)
    add(cluster, listing, "Door")
    add(cluster, listing, "Chairs")
    kept = make_listing(cluster)
    add(cluster, kept, "Someone else's")
    assert get_image_model().objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        Listing.objects.get(pk=listing.pk).delete()
    kept.refresh_from_db()
    assert list(get_image_model().objects.values_list("pk", flat=True)) == [kept.photo_id]


def test_removing_the_cover_keeps_the_image_of_the_photo_that_takes_its_place(
    cluster, django_capture_on_commit_callbacks
):
    listing = make_listing(cluster)
    add(cluster, listing, "Door")
    chairs = add(cluster, listing, "Chairs")
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_photo_remove(listing=listing, user=cluster.owner_admin)
    listing.refresh_from_db()
    assert listing.photo_id == chairs.image_id and listing.photo_alt == "Chairs"
    assert list(get_image_model().objects.values_list("pk", flat=True)) == [chairs.image_id]
