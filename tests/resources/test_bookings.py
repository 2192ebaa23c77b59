"""Bookings: requests, conflicts refused (by the database on PostgreSQL, even under concurrent
requests), availability, the owner's decisions, the desk, weekly series that skip conflicts."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from resources import bookings, services
from resources.models import Booking, BookingSeries, HoursEntry
from tests.concurrency import race
from tests.services import require_postgres

from .conftest import at, build_cluster, make_listing

pytestmark = pytest.mark.django_db
FORMAT = "%Y-%m-%dT%H:%M"


def _book(cluster, listing, days=3, hour=10, hours=2, **kwargs):
    start, end = at(days, hour, hours)
    return bookings.booking_request(
        user=kwargs.pop("user", cluster.other_member),
        listing=listing,
        organization=kwargs.pop("organization", cluster.other),
        starts_at=start,
        ends_at=end,
        **kwargs,
    )


def test_a_request_waits_for_the_owner_and_tells_its_admins(cluster):
    listing = make_listing(cluster)
    (booking,) = _book(cluster, listing)
    assert booking.status == Booking.Status.PENDING
    assert Notification.objects.filter(
        user=cluster.owner_admin, kind="resources.booking_requested"
    ).exists()


def test_auto_approval(cluster):
    listing = make_listing(cluster, auto_approve=True)
    (booking,) = _book(cluster, listing)
    assert booking.status == Booking.Status.APPROVED
    assert not Notification.objects.filter(kind="resources.booking_requested").exists()


def test_an_overlapping_request_is_refused_and_nothing_stored(cluster):
    listing = make_listing(cluster)
    _book(cluster, listing, hour=10, hours=2)
    with pytest.raises(ValidationError, match="already booked"):
        _book(
            cluster,
            listing,
            hour=11,
            hours=2,
            user=cluster.owner_member,
            organization=cluster.owner,
        )
    assert Booking.objects.count() == 1
    # Back to back is no overlap: ranges are half-open.
    _book(cluster, listing, hour=12, hours=1)
    assert Booking.objects.count() == 2


def test_a_declined_or_cancelled_booking_frees_the_slot(cluster):
    listing = make_listing(cluster)
    (first,) = _book(cluster, listing)
    bookings.booking_decline(booking=first, user=cluster.owner_admin, reason="closed")
    (second,) = _book(cluster, listing)
    bookings.booking_cancel(booking=second, user=cluster.other_member)
    (third,) = _book(cluster, listing)
    assert third.status == Booking.Status.PENDING


def test_units_are_booked_one_each_and_all_or_nothing(cluster):
    listing = make_listing(cluster, kind="equipment", quantity=3)
    made = _book(cluster, listing, quantity=2)
    assert sorted(b.unit for b in made) == [1, 2]
    with pytest.raises(ValidationError):
        _book(cluster, listing, quantity=2)
    assert Booking.objects.count() == 2
    (last,) = _book(cluster, listing, quantity=1)
    assert last.unit == 3
    with pytest.raises(ValidationError):
        _book(cluster, listing, quantity=4)


def test_availability_windows_and_blocked_days(cluster):
    listing = make_listing(cluster)
    start, _ = at(3, 10)
    services.availability_add(
        listing=listing,
        user=cluster.owner_admin,
        weekday=start.weekday(),
        starts_at=start.time().replace(hour=9),
        ends_at=start.time().replace(hour=13),
    )
    with pytest.raises(ValidationError, match="outside"):
        _book(cluster, listing, hour=12, hours=2)  # ends at 14:00
    with pytest.raises(ValidationError, match="outside"):
        _book(cluster, listing, days=4, hour=10)  # another weekday
    _book(cluster, listing, hour=10, hours=2)
    services.blocked_date_add(listing=listing, user=cluster.owner_admin, date=at(10, 10)[0].date())
    with pytest.raises(ValidationError, match="not available"):
        _book(cluster, listing, days=10, hour=10)
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (at(-1, 10)[0], at(-1, 10)[1], "past"),
        (at(3, 12)[0], at(3, 10)[0], "end after"),
        (at(3, 10)[0], at(3, 10)[0] + timedelta(days=40), "31 days"),
    ],
)
def test_bad_ranges_are_refused(cluster, start, end, message):
    listing = make_listing(cluster)
    with pytest.raises(ValidationError, match=message):
        bookings.booking_request(
            user=cluster.other_member,
            listing=listing,
            organization=cluster.other,
            starts_at=start,
            ends_at=end,
        )
    assert not Booking.objects.exists()


def test_bad_input_on_the_booking_page_stores_nothing(cluster):
    listing = make_listing(cluster)
    client = Client()
    client.force_login(cluster.other_member)
    url = reverse("resources:listing_book", args=[listing.pk])
    start, end = at(3, 10)
    for data in (
        {"organization": cluster.other.pk, "starts_at": "tomorrow", "ends_at": "", "weeks": 1},
        {
            "organization": cluster.owner.pk,
            "starts_at": start.strftime(FORMAT),
            "ends_at": end.strftime(FORMAT),
            "quantity": 1,
            "weeks": 1,
        },
        {
            "organization": cluster.other.pk,
            "starts_at": end.strftime(FORMAT),
            "ends_at": start.strftime(FORMAT),
            "quantity": 1,
            "weeks": 1,
        },
        {
            "organization": cluster.other.pk,
            "starts_at": start.strftime(FORMAT),
            "ends_at": end.strftime(FORMAT),
            "quantity": 1,
            "weeks": 99,
        },
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert b'class="error' in response.content or b"errorlist" in response.content
    assert not Booking.objects.exists()


def test_someone_outside_the_organization_cannot_book_for_it(cluster):
    listing = make_listing(cluster)
    with pytest.raises(PermissionDenied):
        _book(cluster, listing, user=cluster.other_member, organization=cluster.owner)
    with pytest.raises(PermissionDenied):
        _book(cluster, listing, user=cluster.no_org, organization=cluster.other)
    assert not Booking.objects.exists()


def test_approve_check_out_return_records_conditions_and_hours(cluster):
    listing = make_listing(cluster, kind="expertise", title="Legal advice")
    (booking,) = _book(cluster, listing, hours=3)
    booking = bookings.booking_approve(booking=booking, user=cluster.owner_admin)
    assert Notification.objects.filter(
        user=cluster.other_member, kind="resources.booking_approved"
    ).exists()
    with pytest.raises(ValidationError):
        bookings.booking_return(booking=booking, user=cluster.owner_member)
    bookings.booking_check_out(booking=booking, user=cluster.owner_member, condition="Started")
    booking = bookings.booking_return(booking=booking, user=cluster.owner_member, condition="Done")
    booking.refresh_from_db()
    assert (booking.status, booking.checkout_condition, booking.return_condition) == (
        Booking.Status.RETURNED,
        "Started",
        "Done",
    )
    entry = HoursEntry.objects.get()
    assert (entry.giver, entry.receiver, entry.hours, entry.category) == (
        cluster.owner,
        cluster.other,
        3,
        "expertise",
    )


def test_a_room_returned_gives_no_hours(cluster):
    listing = make_listing(cluster, auto_approve=True)
    (booking,) = _book(cluster, listing)
    bookings.booking_check_out(booking=booking, user=cluster.owner_admin)
    bookings.booking_return(booking=booking, user=cluster.owner_admin)
    assert not HoursEntry.objects.exists()


def test_no_show_only_after_the_start(cluster):
    listing = make_listing(cluster, auto_approve=True)
    (booking,) = _book(cluster, listing)
    with pytest.raises(ValidationError):
        bookings.booking_no_show(booking=booking, user=cluster.owner_member)
    Booking.objects.filter(pk=booking.pk).update(starts_at=at(-1, 10)[0], ends_at=at(-1, 10)[1])
    booking.refresh_from_db()
    bookings.booking_no_show(booking=booking, user=cluster.owner_member)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_a_cancellation_by_the_booker_tells_the_owners_admins(cluster):
    listing = make_listing(cluster)
    (booking,) = _book(cluster, listing)
    bookings.booking_cancel(booking=booking, user=cluster.other_member)
    cancelled = Notification.objects.filter(kind="resources.booking_cancelled")
    assert list(cancelled.values_list("user", flat=True)) == [cluster.owner_admin.pk]
    assert "Other org" in cancelled.get().title


def test_a_cancellation_by_the_owner_tells_who_asked(cluster):
    listing = make_listing(cluster, auto_approve=True)
    (booking,) = _book(cluster, listing)
    bookings.booking_cancel(booking=booking, user=cluster.owner_admin)
    cancelled = Notification.objects.filter(kind="resources.booking_cancelled")
    assert list(cancelled.values_list("user", flat=True)) == [cluster.other_member.pk]
    assert "Meeting room" in cancelled.get().title


def test_a_cancellation_by_the_booking_organizations_admin_tells_both_sides(cluster):
    listing = make_listing(cluster)
    (booking,) = _book(cluster, listing)
    bookings.booking_cancel(booking=booking, user=cluster.other_admin)
    told = set(
        Notification.objects.filter(kind="resources.booking_cancelled").values_list(
            "user", flat=True
        )
    )
    assert told == {cluster.owner_admin.pk, cluster.other_member.pk}


def test_a_no_show_is_told_to_who_asked(cluster):
    listing = make_listing(cluster, auto_approve=True)
    (booking,) = _book(cluster, listing)
    Booking.objects.filter(pk=booking.pk).update(starts_at=at(-1, 10)[0], ends_at=at(-1, 10)[1])
    booking.refresh_from_db()
    bookings.booking_no_show(booking=booking, user=cluster.owner_member)
    assert list(
        Notification.objects.filter(kind="resources.booking_no_show").values_list(
            "user", flat=True
        )
    ) == [cluster.other_member.pk]


def test_the_desk_approves_and_hands_over_through_the_pages(cluster):
    listing = make_listing(cluster)
    (booking,) = _book(cluster, listing)
    client = Client()
    client.force_login(cluster.owner_admin)
    desk = reverse("resources:listing_bookings", args=[listing.pk])
    assert b"Approve" in client.get(desk).content
    client.post(reverse("resources:booking_action", args=[booking.pk, "approve"]))
    client.post(
        reverse("resources:booking_action", args=[booking.pk, "check-out"]),
        {"condition": "Keys given"},
    )
    booking.refresh_from_db()
    assert (booking.status, booking.checkout_condition) == ("checked_out", "Keys given")
    # A second approval of the same booking is refused with a message, nothing changes.
    response = client.post(
        reverse("resources:booking_action", args=[booking.pk, "approve"]), follow=True
    )
    assert b"cannot be changed" in response.content
    booking.refresh_from_db()
    assert booking.status == "checked_out"


# --- Weekly series ----------------------------------------------------------------------------


def test_a_series_skips_conflicts_and_blocked_days_and_lists_them(cluster):
    listing = make_listing(cluster)
    taken_start, taken_end = at(10, 10)
    bookings.booking_request(
        user=cluster.owner_member,
        listing=listing,
        organization=cluster.owner,
        starts_at=taken_start,
        ends_at=taken_end,
    )
    services.blocked_date_add(
        listing=listing, user=cluster.owner_admin, date=at(17, 10)[0].date(), reason="Holiday"
    )
    start, end = at(3, 10)
    series = bookings.booking_series_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=start,
        ends_at=end,
        weeks=4,
    )
    booked = [b.starts_at for b in Booking.objects.filter(series=series).order_by("starts_at")]
    assert booked == [at(3, 10)[0], at(24, 10)[0]]
    assert series.skipped == [
        {"date": at(10, 10)[0].date().isoformat(), "reason": "conflict"},
        {"date": at(17, 10)[0].date().isoformat(), "reason": "blocked"},
    ]
    client = Client()
    client.force_login(cluster.other_member)
    page = client.get(reverse("resources:series_detail", args=[series.pk])).content.decode()
    assert "already booked" in page and "blocked day" in page
    assert at(10, 10)[0].date().isoformat() in page


def test_a_series_through_the_booking_page(cluster):
    listing = make_listing(cluster)
    client = Client()
    client.force_login(cluster.other_member)
    start, end = at(3, 18)
    response = client.post(
        reverse("resources:listing_book", args=[listing.pk]),
        {
            "organization": cluster.other.pk,
            "starts_at": start.strftime(FORMAT),
            "ends_at": end.strftime(FORMAT),
            "quantity": 1,
            "weeks": 3,
        },
    )
    series = BookingSeries.objects.get()
    assert response["Location"] == reverse("resources:series_detail", args=[series.pk])
    assert Booking.objects.filter(series=series).count() == 3


def test_a_series_with_no_free_date_is_refused_with_nothing_stored(cluster):
    listing = make_listing(cluster)
    services.blocked_date_add(listing=listing, user=cluster.owner_admin, date=at(3, 10)[0].date())
    services.blocked_date_add(listing=listing, user=cluster.owner_admin, date=at(10, 10)[0].date())
    start, end = at(3, 10)
    with pytest.raises(ValidationError):
        bookings.booking_series_request(
            user=cluster.other_member,
            listing=listing,
            organization=cluster.other,
            starts_at=start,
            ends_at=end,
            weeks=2,
        )
    assert not BookingSeries.objects.exists()
    assert not Booking.objects.exists()


# --- The database's guarantee (PostgreSQL) ----------------------------------------------------


def test_the_database_refuses_overlapping_rows_on_one_unit(cluster):
    require_postgres()
    listing = make_listing(cluster)
    start, end = at(3, 10)
    fields = {"listing": listing, "organization": cluster.other, "unit": 1}
    Booking.objects.create(**fields, starts_at=start, ends_at=end)
    Booking.objects.create(**{**fields, "unit": 2}, starts_at=start, ends_at=end)
    Booking.objects.create(**fields, starts_at=start, ends_at=end, status="declined")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(**fields, starts_at=start + timedelta(hours=1), ends_at=end)
    assert Booking.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_for_one_slot_make_one_booking():
    require_postgres()
    cluster = build_cluster()
    listing = make_listing(cluster)
    start, end = at(3, 10)
    people = [(cluster.other_member, cluster.other), (cluster.owner_member, cluster.owner)]

    def work(index):
        user, organization = people[index]
        return bookings.booking_request(
            user=user, listing=listing, organization=organization, starts_at=start, ends_at=end
        )

    results, errors = race(work)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert Booking.objects.filter(listing=listing).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_constraint_alone_keeps_one_of_two_concurrent_inserts():
    """Without the service's lock: both transactions insert at once; the second waits for the
    first and then fails on the exclusion constraint."""
    require_postgres()
    cluster = build_cluster()
    listing = make_listing(cluster)
    start, end = at(3, 10)

    def work(index):
        with transaction.atomic():
            Booking.objects.create(
                listing=listing,
                organization=cluster.other,
                unit=1,
                starts_at=start + timedelta(minutes=30 * index),
                ends_at=end,
            )
            time.sleep(0.5)  # hold the row uncommitted while the other one tries

    results, errors = race(work)
    assert len(results) == 1
    # Both inserts may see each other's uncommitted row while checking the constraint; PostgreSQL
    # then ends one of them as a deadlock victim (40P01) instead of an exclusion violation (23P01).
    # Either way the database refused the second booking.
    assert len(errors) == 1, errors
    assert isinstance(errors[0], (IntegrityError, OperationalError)), errors
    assert getattr(errors[0].__cause__, "sqlstate", None) in {"23P01", "40P01"}, errors
    assert Booking.objects.filter(listing=listing).count() == 1


# --- The availability page ----------------------------------------------------------------


def test_the_availability_page_adds_and_removes_windows_and_blocked_days(cluster):
    listing = make_listing(cluster)
    url = reverse("resources:listing_availability", args=[listing.pk])
    client = Client()
    client.force_login(cluster.owner_admin)
    day = at(10, 10)[0].date()
    response = client.post(
        url,
        {
            "action": "add_rule",
            "rule-weekday": 1,
            "rule-starts_at": "09:00",
            "rule-ends_at": "13:00",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url, {"action": "add_blocked", "blocked-date": day.isoformat(), "blocked-reason": "Fair"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "09:00" in page and "Fair" in page
    rule = listing.availability.get()
    blocked = listing.blocked_dates.get()
    assert (rule.weekday, blocked.date) == (1, day)
    client.post(url, {"action": "remove_rule", "id": rule.pk})
    client.post(url, {"action": "remove_blocked", "id": blocked.pk})
    assert not listing.availability.exists() and not listing.blocked_dates.exists()


def test_bad_windows_and_days_are_refused_on_the_availability_page(cluster):
    listing = make_listing(cluster)
    url = reverse("resources:listing_availability", args=[listing.pk])
    client = Client()
    client.force_login(cluster.owner_admin)
    backwards = client.post(
        url,
        {
            "action": "add_rule",
            "rule-weekday": 1,
            "rule-starts_at": "13:00",
            "rule-ends_at": "09:00",
        },
    )
    assert backwards.status_code == 200
    assert "The window must end after it starts." in backwards.content.decode()
    nonsense = client.post(
        url,
        {"action": "add_rule", "rule-weekday": 9, "rule-starts_at": "25:00", "rule-ends_at": ""},
    )
    assert nonsense.status_code == 200
    assert not listing.availability.exists()
    day = at(10, 10)[0].date().isoformat()
    client.post(url, {"action": "add_blocked", "blocked-date": day})
    twice = client.post(url, {"action": "add_blocked", "blocked-date": day})
    assert twice.status_code == 200
    assert "That day is blocked already." in twice.content.decode()
    assert client.post(url, {"action": "add_blocked", "blocked-date": "soon"}).status_code == 200
    assert listing.blocked_dates.count() == 1


@pytest.mark.parametrize(
    ("role", "outcome"),
    [("owner_member", 403), ("other_admin", 403), ("no_org", 403), ("editor", 302)],
)
def test_who_may_change_the_availability(cluster, role, outcome):
    listing = make_listing(cluster)
    services.availability_add(
        listing=listing,
        user=cluster.owner_admin,
        weekday=0,
        starts_at=at(0, 9)[0].time(),
        ends_at=at(0, 17)[0].time(),
    )
    rule = listing.availability.get()
    url = reverse("resources:listing_availability", args=[listing.pk])
    client = Client()
    client.force_login(getattr(cluster, role))
    added = client.post(url, {"action": "add_blocked", "blocked-date": at(10, 10)[0].date()})
    removed = client.post(url, {"action": "remove_rule", "id": rule.pk})
    assert (added.status_code, removed.status_code) == (outcome, outcome)
    changed = listing.blocked_dates.exists() or not listing.availability.exists()
    assert changed is (outcome == 302)
    anonymous = Client().post(url, {"action": "remove_rule", "id": rule.pk})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
