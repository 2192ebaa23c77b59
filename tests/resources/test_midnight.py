"""Bookings across midnight: a range over two days is booked when the listing's windows cover
it (a window until 23:59 runs on into the next day's from 00:00), and a conflict across
midnight is still refused, by the database on PostgreSQL."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from resources import bookings, services
from resources.models import Booking
from tests.services import require_postgres

from .conftest import make_listing

pytestmark = pytest.mark.django_db


def night(days=3, start=22, hours=4):
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(start)))
    return starts, starts + timedelta(hours=hours)


def book(cluster, listing, starts_at, ends_at):
    return bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def window(cluster, listing, day, starts_at, ends_at):
    services.availability_add(
        listing=listing,
        user=cluster.owner_admin,
        weekday=day.weekday(),
        starts_at=starts_at,
        ends_at=ends_at,
    )


def test_a_night_without_windows_is_booked_over_two_days(cluster):
    listing = make_listing(cluster)
    starts_at, ends_at = night()
    (booking,) = book(cluster, listing, starts_at, ends_at)
    assert timezone.localtime(booking.ends_at).date() == (
        timezone.localtime(booking.starts_at).date() + timedelta(days=1)
    )
    assert booking.hours == 4


def test_windows_on_both_days_take_a_booking_across_midnight(cluster):
    listing = make_listing(cluster)
    starts_at, ends_at = night()
    first = timezone.localtime(starts_at).date()
    window(cluster, listing, first, time(18), time(23, 59))
    with pytest.raises(ValidationError, match="outside"):
        book(cluster, listing, starts_at, ends_at)  # nothing opens the next morning
    window(cluster, listing, first + timedelta(days=1), time(0), time(3))
    with pytest.raises(ValidationError, match="outside"):
        book(cluster, listing, *night(hours=6))  # until 04:00: past the second window
    book(cluster, listing, starts_at, ends_at)
    assert Booking.objects.count() == 1


def test_a_window_that_does_not_reach_midnight_refuses_the_night(cluster):
    listing = make_listing(cluster)
    starts_at, ends_at = night()
    first = timezone.localtime(starts_at).date()
    window(cluster, listing, first, time(18), time(23))
    window(cluster, listing, first + timedelta(days=1), time(0), time(3))
    with pytest.raises(ValidationError, match="outside"):
        book(cluster, listing, starts_at, ends_at)
    assert not Booking.objects.exists()


def test_a_blocked_second_day_refuses_the_night(cluster):
    listing = make_listing(cluster)
    starts_at, ends_at = night()
    services.blocked_date_add(
        listing=listing,
        user=cluster.owner_admin,
        date=timezone.localtime(ends_at).date(),
    )
    with pytest.raises(ValidationError, match="not available"):
        book(cluster, listing, starts_at, ends_at)
    assert not Booking.objects.exists()


def test_a_conflict_across_midnight_is_refused(cluster):
    listing = make_listing(cluster)
    book(cluster, listing, *night())
    early_start, early_end = night(days=4, start=1, hours=2)  # 01:00–03:00 the next day
    with pytest.raises(ValidationError, match="already booked"):
        book(cluster, listing, early_start, early_end)
    assert Booking.objects.count() == 1


def test_the_database_refuses_an_overlap_across_midnight(cluster):
    require_postgres()
    listing = make_listing(cluster)
    starts_at, ends_at = night()
    fields = {"listing": listing, "organization": cluster.other, "unit": 1}
    Booking.objects.create(**fields, starts_at=starts_at, ends_at=ends_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(**fields, starts_at=ends_at - timedelta(hours=1), ends_at=ends_at)
    assert Booking.objects.count() == 1
