"""A coordinator books a session's room straight from the session's form: a room of the shared
resources for the session's time, booked for the project through the resources app (whose
rules refuse a room taken then), changed or cancelled with the session; nobody else may, and
refused input changes nothing."""

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources import bookings
from resources import services as resources_services
from resources.models import Booking
from training import audit, services, session_links
from training.models import Session

from .builders import day

pytestmark = pytest.mark.django_db

L = "login"


def _moment(days, hour, minute=0):
    return timezone.make_aware(datetime.combine(day(days), time(hour, minute)))


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return L
    return response.status_code


def _listing(world, title="Aula 2", **fields):
    """A room of the outsider's organization, open to everyone, not booked."""
    from partners.models import PartnerPage

    return resources_services.listing_create(
        user=world.outsider,
        organization=PartnerPage.objects.get(title="Outsider org"),
        type="offer",
        kind="room",
        title=title,
        description="A room for twelve.",
        audience="public",
        expires_on=day(60),
        **fields,
    )


def _room_key(listing):
    return f"resources:room:{listing.pk}"


def _session(world):
    """A session of the world's cohort in four days, 11:00 to 13:00, with no room."""
    return services.session_create(
        cohort=world.cohort, user=world.coordinator, starts_at=_moment(4, 11), topic="Python"
    )


def _data(session, **changes):
    return {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": session.duration_minutes,
        "topic": session.topic,
        "room": session.room,
        "room_booking": "" if session.booked_room else session.room_booking,
        "book_room": session.booked_room,
        "trainer": "",
        **changes,
    }


def _url(session):
    return reverse("portal:training_session_edit", args=[session.pk])


def _holding(listing):
    return list(
        Booking.objects.filter(listing=listing, status__in=Booking.HOLDING).values_list(
            "starts_at", "ends_at"
        )
    )


def _book(world, session, listing):
    response = _client(world, "coordinator").post(
        _url(session), _data(session, book_room=_room_key(listing))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    return session


def test_the_session_form_offers_the_rooms_of_the_shared_resources(world):
    listing = _listing(world)
    session = _session(world)
    form = _client(world, "coordinator").get(_url(session)).context["form"]
    rooms = dict(form.fields["book_room"].choices)
    assert rooms[_room_key(listing)] == "Aula 2 · Outsider org"
    assert form.initial["book_room"] == ""


def test_a_coordinator_books_the_sessions_room_for_its_time(world):
    listing = _listing(world)
    session = _book(world, _session(world), listing)

    booking = Booking.objects.get(listing=listing)
    assert (booking.starts_at, booking.ends_at) == (_moment(4, 11), _moment(4, 13))
    assert booking.project_id == world.project.pk
    # Booked for the coordinator's organization, the project's lead, not the partner.
    assert booking.organization_id != world.partner.pk
    assert booking.requested_by == world.coordinator
    assert booking.status == Booking.Status.PENDING
    assert (session.room_booking, session.booked_room) == (
        f"resources:booking:{booking.pk}",
        _room_key(listing),
    )
    assert session.room == "Aula 2 · Outsider org"
    assert session.room_url == reverse("resources:resource_detail", args=[listing.pk])
    form = _client(world, "coordinator").get(_url(session)).context["form"]
    assert form.initial["book_room"] == _room_key(listing)
    assert form.initial["room_booking"] == ""
    assert session.room_booking not in dict(form.fields["room_booking"].choices)
    assert session_links.booking_states([session.room_booking])[session.room_booking]["state"] == (
        "pending"
    )


def test_saving_the_session_unchanged_keeps_its_booking(world):
    listing = _listing(world)
    session = _book(world, _session(world), listing)
    key = session.room_booking

    response = _client(world, "coordinator").post(_url(session), _data(session, topic="Py"))

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.topic, session.room_booking) == ("Py", key)
    assert Booking.objects.filter(listing=listing).count() == 1
    assert _holding(listing) == [(_moment(4, 11), _moment(4, 13))]


def test_moving_the_session_cancels_the_old_booking_and_books_the_new_time(world):
    listing = _listing(world)
    session = _book(world, _session(world), listing)
    old = Booking.objects.get(listing=listing)

    # Half an hour later overlaps the old booking: it is cancelled first, so no clash.
    response = _client(world, "coordinator").post(
        _url(session), _data(session, starts_at=_moment(4, 11, 30).strftime("%Y-%m-%dT%H:%M"))
    )

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == Booking.Status.CANCELLED
    session.refresh_from_db()
    new = Booking.objects.get(listing=listing, status=Booking.Status.PENDING)
    assert session.room_booking == f"resources:booking:{new.pk}"
    assert (new.starts_at, new.ends_at) == (_moment(4, 11, 30), _moment(4, 13, 30))


def test_changing_the_room_cancels_the_old_booking(world):
    first, second = _listing(world), _listing(world, title="Sala gran")
    session = _book(world, _session(world), first)

    session = _book(world, session, second)

    assert _holding(first) == []
    assert _holding(second) == [(_moment(4, 11), _moment(4, 13))]
    assert (session.booked_room, session.room) == (_room_key(second), "Sala gran · Outsider org")


def test_leaving_the_room_empty_cancels_the_booking(world):
    listing = _listing(world)
    session = _book(world, _session(world), listing)

    response = _client(world, "coordinator").post(_url(session), _data(session, book_room=""))

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.room, session.room_booking, session.room_url, session.booked_room) == (
        "",
        "",
        "",
        "",
    )
    assert _holding(listing) == []


def test_a_room_taken_at_that_time_is_refused_and_nothing_changes(world):
    listing = _listing(world)
    bookings.booking_request(
        user=world.partner_admin,
        listing=listing,
        organization=world.partner,
        starts_at=_moment(4, 12),
        ends_at=_moment(4, 14),
    )
    session = _session(world)

    response = _client(world, "coordinator").post(
        _url(session), _data(session, book_room=_room_key(listing), topic="Changed")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The room cannot be booked for the session&#x27;s time." in page
    assert "That time is already booked." in page
    session.refresh_from_db()
    assert (session.topic, session.room_booking, session.booked_room) == ("Python", "", "")
    assert Booking.objects.filter(listing=listing).count() == 1
    assert not audit_entries()


def test_moving_a_booked_session_onto_a_taken_time_keeps_the_old_booking(world):
    listing = _listing(world)
    session = _book(world, _session(world), listing)
    key = session.room_booking
    bookings.booking_request(
        user=world.partner_admin,
        listing=listing,
        organization=world.partner,
        starts_at=_moment(4, 14),
        ends_at=_moment(4, 16),
    )

    response = _client(world, "coordinator").post(
        _url(session), _data(session, starts_at=_moment(4, 13).strftime("%Y-%m-%dT%H:%M"))
    )

    assert response.status_code == 200
    assert "That time is already booked." in response.content.decode()
    session.refresh_from_db()
    assert (session.starts_at, session.room_booking) == (_moment(4, 11), key)
    assert Booking.objects.get(pk=int(key.rsplit(":", 1)[1])).status == Booking.Status.PENDING
    assert Booking.objects.filter(listing=listing).count() == 2


def test_bad_room_input_changes_nothing(world):
    listing = _listing(world)
    session = _session(world)
    client = _client(world, "coordinator")
    booked = Booking.objects.create(
        listing=listing,
        organization=world.partner,
        project=world.project,
        starts_at=_moment(4, 10),
        ends_at=_moment(4, 14),
        status=Booking.Status.APPROVED,
    )
    answers = [
        client.post(_url(session), _data(session, book_room="resources:room:999999")),
        client.post(_url(session), _data(session, book_room="nonsense")),
        client.post(
            _url(session),
            _data(
                session,
                book_room=_room_key(_listing(world, title="Sala gran")),
                room_booking=f"resources:booking:{booked.pk}",
            ),
        ),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert "not both" in answers[2].content.decode()
    session.refresh_from_db()
    assert (session.room_booking, session.booked_room) == ("", "")
    assert Booking.objects.count() == 1
    assert not audit_entries()


def test_a_session_in_the_past_cannot_book_a_room(world):
    listing = _listing(world)
    session = world.sessions[1]  # two days ago

    response = _client(world, "coordinator").post(
        _url(session), _data(session, book_room=_room_key(listing))
    )

    assert response.status_code == 200
    assert "A booking cannot start in the past." in response.content.decode()
    assert not Booking.objects.exists()


def test_a_new_session_books_its_room_too(world):
    listing = _listing(world)
    response = _client(world, "coordinator").post(
        reverse("portal:training_session_new", args=[world.cohort.pk]),
        {
            "starts_at": _moment(5, 16).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "topic": "Robots",
            "book_room": _room_key(listing),
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(topic="Robots")
    assert session.booked_room == _room_key(listing)
    assert _holding(listing) == [(_moment(5, 16), _moment(5, 16) + timedelta(minutes=90))]


@pytest.mark.parametrize(
    "role,outcome",
    [
        ("trainer", 403),
        ("mentor", 403),
        ("partner_admin", 404),
        ("outsider", 404),
        ("anonymous", L),
    ],
)
def test_only_coordinators_book_a_sessions_room(world, role, outcome):
    listing = _listing(world)
    session = _session(world)

    response = _client(world, role).post(
        _url(session), _data(session, book_room=_room_key(listing))
    )

    assert _outcome(response) == outcome
    assert not Booking.objects.exists()
    assert Session.objects.get(pk=session.pk).booked_room == ""


def test_only_coordinators_cancel_a_sessions_booking(world):
    listing = _listing(world)
    session = _book(world, _session(world), listing)
    for role in ("trainer", "mentor", "partner_admin", "outsider", "anonymous"):
        _client(world, role).post(_url(session), _data(session, book_room=""))
    assert _holding(listing) == [(_moment(4, 11), _moment(4, 13))]
    assert Session.objects.get(pk=session.pk).booked_room == _room_key(listing)


def audit_entries():
    from wagtail.models import PageLogEntry

    return PageLogEntry.objects.filter(action=audit.SESSION_UPDATE).exists()
