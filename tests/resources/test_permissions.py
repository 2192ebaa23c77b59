"""The permission matrix of resources.permissions: every cell a test, permitted and denied.

Roles: anonymous, a person in no organization, the owner organization's member and admin, the
other organization's admin and member (the booker), and an editor. GETs are checked for their
answer; POSTs also for what they changed (a refused POST changes nothing).
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from resources import bookings, services
from resources.models import Answer, Booking, Listing
from tests.base_content import ensure_base_content

from .conftest import at, build_cluster, make_listing

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = (
    "anonymous",
    "no_org",
    "owner_member",
    "owner_admin",
    "other_admin",
    "other_member",
    "editor",
)


class World:
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_base_content()
        w = World()
        w.c = build_cluster()
        w.public = make_listing(w.c, title="Public room", quantity=3)
        w.cluster_only = make_listing(w.c, title="Cluster van", kind="vehicle", audience="cluster")
        w.request = make_listing(w.c, title="We need a van", type="request", kind="vehicle")
        w.offer_of_other = services.listing_create(
            user=w.c.other_admin,
            organization=w.c.other,
            type="offer",
            kind="vehicle",
            title="Other's van",
            audience="public",
            expires_on=w.public.expires_on,
        )
        book = {"user": w.c.other_member, "listing": w.public, "organization": w.c.other}
        (w.pending,) = bookings.booking_request(**book, starts_at=at(3, 9)[0], ends_at=at(3, 9)[1])
        (w.approved,) = bookings.booking_request(
            **book, starts_at=at(4, 9)[0], ends_at=at(4, 9)[1]
        )
        bookings.booking_approve(booking=w.approved, user=w.c.owner_admin)
        (w.out,) = bookings.booking_request(**book, starts_at=at(5, 9)[0], ends_at=at(5, 9)[1])
        bookings.booking_approve(booking=w.out, user=w.c.owner_admin)
        bookings.booking_check_out(booking=w.out, user=w.c.owner_member)
        # Approved, and its time has come: the owner's people may mark it a no-show.
        (w.due,) = bookings.booking_request(**book, starts_at=at(6, 9)[0], ends_at=at(6, 9)[1])
        bookings.booking_approve(booking=w.due, user=w.c.owner_admin)
        Booking.objects.filter(pk=w.due.pk).update(starts_at=at(-1, 9)[0], ends_at=at(-1, 9)[1])
        w.answer = services.answer_create(
            user=w.c.other_admin,
            request=w.request,
            organization=w.c.other,
            offer=w.offer_of_other,
            message="Take our van",
        )
        yield w
        transaction.set_rollback(True)


def _client(w, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(w.c, role))
    return client


def _outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


def _url(w, name):
    listing = {
        "resource_detail": w.public,
        "cluster_detail": w.cluster_only,
        "listing_edit": w.public,
        "listing_availability": w.public,
        "listing_photos": w.public,
        "listing_book": w.public,
        "cluster_book": w.cluster_only,
        "listing_bookings": w.public,
        "listing_calendar": w.public,
        "cluster_calendar": w.cluster_only,
        "request_detail": w.request,
    }
    if name in ("resource_directory", "listing_create", "resources_mine", "hours_ledger"):
        return reverse(f"resources:{name}")
    if name == "organization_calendar":
        return reverse("resources:organization_calendar", args=[w.c.owner.pk])
    if name == "series_detail":
        series = bookings.booking_series_request(
            user=w.c.other_member,
            listing=w.public,
            organization=w.c.other,
            starts_at=at(10, 9)[0],
            ends_at=at(10, 9)[1],
            weeks=2,
        )
        return reverse("resources:series_detail", args=[series.pk])
    route = {
        "cluster_detail": "resource_detail",
        "cluster_book": "listing_book",
        "cluster_calendar": "listing_calendar",
        "request_detail": "resource_detail",
    }.get(name, name)
    return reverse(f"resources:{route}", args=[listing[name].pk])


# name: outcome per role, in ROLES order.
PAGES = {
    "resource_directory": (200, 200, 200, 200, 200, 200, 200),
    "resource_detail": (200, 200, 200, 200, 200, 200, 200),
    "cluster_detail": (404, 404, 200, 200, 200, 200, 200),
    "request_detail": (200, 200, 200, 200, 200, 200, 200),
    "listing_create": (LOGIN, 403, 403, 200, 200, 403, 403),
    "listing_edit": (LOGIN, 403, 403, 200, 403, 403, 200),
    "listing_availability": (LOGIN, 403, 403, 200, 403, 403, 200),
    "listing_photos": (LOGIN, 403, 403, 200, 403, 403, 200),
    "listing_book": (LOGIN, 403, 200, 200, 200, 200, 403),
    "cluster_book": (LOGIN, 404, 200, 200, 200, 200, 403),
    "listing_bookings": (LOGIN, 403, 200, 200, 403, 403, 403),
    "resources_mine": (LOGIN, 200, 200, 200, 200, 200, 200),
    "hours_ledger": (LOGIN, 403, 200, 200, 200, 200, 200),
    "listing_calendar": (200, 200, 200, 200, 200, 200, 200),
    "cluster_calendar": (404, 404, 200, 200, 200, 200, 200),
    "organization_calendar": (200, 200, 200, 200, 200, 200, 200),
    "series_detail": (LOGIN, 404, 200, 200, 200, 200, 404),
}


@pytest.mark.parametrize(("name", "role"), [(name, role) for name in PAGES for role in ROLES])
def test_page(world, name, role):
    expected = PAGES[name][ROLES.index(role)]
    assert _outcome(_client(world, role).get(_url(world, name))) == expected


def test_address_only_for_the_cluster(world):
    Listing.objects.filter(pk=world.public.pk).update(address="Carrer Secret 9")
    url = reverse("resources:resource_detail", args=[world.public.pk])
    for role, shown in (("anonymous", False), ("no_org", False), ("other_member", True)):
        assert ("Carrer Secret 9" in _client(world, role).get(url).content.decode()) is shown


def _state(w):
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status")),
        list(Listing.objects.order_by("pk").values_list("pk", "status", "expires_on")),
        list(Answer.objects.order_by("pk").values_list("pk", "status")),
    )


def _post_url(w, action):
    if action in ("approve", "decline"):
        return reverse("resources:booking_action", args=[w.pending.pk, action])
    if action == "cancel":
        return reverse("resources:booking_action", args=[w.approved.pk, action])
    if action == "check-out":
        return reverse("resources:booking_action", args=[w.approved.pk, action])
    if action == "no-show":
        return reverse("resources:booking_action", args=[w.due.pk, action])
    if action == "return":
        return reverse("resources:booking_action", args=[w.out.pk, action])
    if action in ("listing_close", "listing_renew"):
        return reverse(f"resources:{action}", args=[w.public.pk])
    if action == "listing_answer":
        return reverse("resources:listing_answer", args=[w.request.pk])
    if action == "answer_accept":
        return reverse("resources:answer_accept", args=[w.answer.pk])
    raise AssertionError(action)


# action: (POST data, roles that may, outcome for each role that may not, in ROLES order)
ACTIONS = {
    "approve": ({}, {"owner_admin"}, (LOGIN, 404, 403, None, 403, 403, 404)),
    "decline": ({"reason": "no"}, {"owner_admin"}, (LOGIN, 404, 403, None, 403, 403, 404)),
    "check-out": ({}, {"owner_admin", "owner_member"}, (LOGIN, 404, None, None, 403, 403, 404)),
    "return": ({}, {"owner_admin", "owner_member"}, (LOGIN, 404, None, None, 403, 403, 404)),
    "no-show": ({}, {"owner_admin", "owner_member"}, (LOGIN, 404, None, None, 403, 403, 404)),
    "cancel": (
        {},
        {"owner_admin", "other_admin", "other_member"},
        (LOGIN, 404, 403, None, None, None, 404),
    ),
    "listing_close": ({}, {"owner_admin", "editor"}, (LOGIN, 403, 403, None, 403, 403, None)),
    "listing_renew": ({}, {"owner_admin", "editor"}, (LOGIN, 403, 403, None, 403, 403, None)),
    "listing_answer": (
        {"message": "Here"},
        set(),  # other_admin answered already; see test_other_admin_answers_a_request
        (LOGIN, 403, 403, 403, 302, 403, 403),
    ),
    "answer_accept": ({}, {"owner_admin"}, (LOGIN, 403, 403, None, 403, 403, 403)),
}


@pytest.mark.parametrize(
    ("action", "role"), [(action, role) for action in ACTIONS for role in ROLES]
)
def test_action(world, action, role):
    data, allowed, denied = ACTIONS[action]
    if action == "listing_answer":
        data = {**data, "organization": world.c.other.pk}
    before = _state(world)
    response = _client(world, role).post(_post_url(world, action), data)
    if role in allowed:
        assert response.status_code == 302
        assert _state(world) != before, "a permitted action changes something"
    else:
        assert _outcome(response) == denied[ROLES.index(role)]
        assert _state(world) == before


def test_other_admin_answers_a_request(world):
    fresh = make_listing(world.c, title="We need chairs", type="request", kind="equipment")
    client = _client(world, "other_admin")
    response = client.post(
        reverse("resources:listing_answer", args=[fresh.pk]),
        {"organization": world.c.other.pk, "message": "Forty chairs"},
    )
    assert response.status_code == 302
    assert Answer.objects.filter(request=fresh, organization=world.c.other).exists()
    # The requester's own admin cannot answer it.
    response = _client(world, "owner_admin").post(
        reverse("resources:listing_answer", args=[fresh.pk]),
        {"organization": world.c.owner.pk, "message": "Us"},
    )
    assert response.status_code == 403
    assert Answer.objects.filter(request=fresh).count() == 1
