"""The last place of a cohort goes to one learner only, and a room to one session only,
whoever asks at the same moment: the database decides (a row lock on the cohort; the resources
app's lock and exclusion constraint for rooms), tested with real threads on PostgreSQL."""

from datetime import datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from resources import services as resources_services
from resources.models import Booking
from tests.concurrency import race
from tests.factories import UserFactory
from tests.services import require_postgres
from tests.utils import approved_organization
from training import services
from training.models import Enrolment, Session

from .builders import build_programme, day, learner


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_overfill_a_cohort():
    require_postgres()
    _project, _partner, programme = build_programme()
    coordinator = programme.staff.get(role="coordinator").user
    cohort = services.cohort_create(
        programme=programme,
        user=coordinator,
        name="Tiny",
        starts_on=day(1),
        ends_on=day(20),
        capacity=2,
        language="es",
    )
    pending = []
    for n in range(4):
        enrolment = learner(programme, coordinator, cohort=cohort, alias=f"L{n}").enrolments.get()
        pending.append(
            services.enrolment_set_status(
                enrolment=enrolment, user=coordinator, status="interviewed"
            )
        )

    def work(index):
        return services.enrolment_set_status(
            enrolment=pending[index], user=coordinator, status="enrolled"
        )

    results, errors = race(work, 4)
    assert len(results) == 2
    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors), errors
    assert Enrolment.objects.filter(cohort=cohort, status="enrolled").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sessions_booking_one_room_at_once_get_it_once():
    require_postgres()
    _project, _partner, programme = build_programme()
    coordinator = programme.staff.get(role="coordinator").user
    cohort = services.cohort_create(
        programme=programme,
        user=coordinator,
        name="Rooms",
        starts_on=day(1),
        ends_on=day(20),
        capacity=10,
        language="es",
    )
    starts_at = timezone.make_aware(datetime.combine(day(5), time(10)))
    sessions = [
        services.session_create(
            cohort=cohort, user=coordinator, starts_at=starts_at, topic=f"Topic {n}"
        )
        for n in range(2)
    ]
    admin = UserFactory()
    owner = approved_organization(admin=admin)
    listing = resources_services.listing_create(
        user=admin,
        organization=owner,
        type="offer",
        kind="room",
        title="Aula",
        description="A room.",
        audience="public",
        expires_on=day(60),
    )
    room = f"resources:room:{listing.pk}"

    def work(index):
        session = sessions[index]
        return services.session_update(
            session=session,
            user=coordinator,
            starts_at=session.starts_at,
            duration_minutes=session.duration_minutes,
            topic=session.topic,
            room="",
            book_room=room,
        )

    results, errors = race(work, 2)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert "That time is already booked." in str(errors[0])
    assert Booking.objects.filter(listing=listing, status__in=Booking.HOLDING).count() == 1
    assert Session.objects.exclude(booked_room="").count() == 1
