"""A session's own page: when, who trains, the room with its booking as it stands in the shared
resources, the materials and who came. The programme's team only: learners' data is never shown
outside it."""

from datetime import datetime, time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources import bookings
from resources import services as resources_services
from resources.models import Booking
from tests.factories import UserFactory
from training import services
from training.models import Enrolment
from volunteers.services import profile_save
from workspace.models import ProjectDocument

from .builders import day, learner

pytestmark = pytest.mark.django_db

L = "login"
ROLES = ("coordinator", "trainer", "mentor", "partner_admin", "outsider", "editor", "anonymous")


def _client(world, role=None, user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    elif role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return L
    return response.status_code


def _moment(days, hour):
    return timezone.make_aware(datetime.combine(day(days), time(hour)))


def _booked_session(world):
    """A session in four days, 11:00–13:00, that booked Aula 2 itself, with a document of the
    project among its materials, its learners marked."""
    from partners.models import PartnerPage

    listing = resources_services.listing_create(
        user=world.outsider,
        organization=PartnerPage.objects.get(title="Outsider org"),
        type="offer",
        kind="room",
        title="Aula 2",
        description="A room for twelve.",
        audience="public",
        expires_on=day(60),
    )
    document = ProjectDocument.objects.create(project=world.project, title="Exercises week 1")
    session = services.session_create(
        cohort=world.cohort,
        user=world.coordinator,
        trainer=world.trainer,
        starts_at=_moment(4, 11),
        topic="Python",
        book_room=f"resources:room:{listing.pk}",
        materials=[f"workspace:document:{document.pk}"],
    )
    services.attendance_record(
        session=session,
        user=world.trainer,
        marks={world.enrolments[0].pk: "present", world.enrolments[1].pk: "absent"},
    )
    return session, document


def _url(session):
    return reverse("portal:training_session", args=[session.pk])


def test_the_session_page_permitted_and_denied(world):
    session, _document = _booked_session(world)
    actual = tuple(_outcome(_client(world, role).get(_url(session))) for role in ROLES)
    assert actual == (200, 200, 200, 404, 404, 404, L)
    for role in ("partner_admin", "outsider", "editor"):
        page = _client(world, role).get(_url(session)).content.decode()
        assert world.minor.code not in page and "Python" not in page


def test_a_network_mentor_of_one_learner_does_not_see_the_session(world):
    person = UserFactory(username="s_volunteer")
    profile_save(user=person, open_to_mentoring=True)
    services.mentorship_start(learner=world.adult, user=world.coordinator, mentor=person)
    session, _document = _booked_session(world)
    assert _client(world, user=person).get(_url(session)).status_code == 404


def test_the_team_reads_the_time_trainer_room_booking_materials_and_attendance(world):
    session, document = _booked_session(world)
    response = _client(world, "trainer").get(_url(session))
    page = response.content.decode()

    assert response.context["booking"]["state"] == "pending"
    assert "Booked for this session: Waiting for approval" in page
    assert f'<a href="{session.room_url}">Aula 2 · Outsider org</a>' in page
    assert world.trainer.get_full_name() in page
    url = reverse("portal:project_document", args=[world.project.pk, document.pk])
    assert f'<a href="{url}">Exercises week 1</a>' in page
    assert "1 of 2 learners came." in page
    assert world.minor.code in page and world.adult.code in page
    assert reverse("portal:training_attendance", args=[session.pk]) in page
    # Only coordinators are offered the change.
    assert reverse("portal:training_session_edit", args=[session.pk]) not in page
    coordinator = _client(world, "coordinator").get(_url(session)).content.decode()
    assert reverse("portal:training_session_edit", args=[session.pk]) in coordinator


def test_the_booking_state_follows_the_shared_resources(world):
    session, _document = _booked_session(world)
    booking = Booking.objects.get(pk=int(session.room_booking.rsplit(":", 1)[1]))
    bookings.booking_approve(booking=booking, user=world.outsider)
    assert "Booked for this session: Approved" in (
        _client(world, "coordinator").get(_url(session)).content.decode()
    )
    Booking.objects.filter(pk=booking.pk).delete()
    page = _client(world, "coordinator").get(_url(session)).content.decode()
    assert "The booking is no longer in Shared resources" in page


def test_the_cohort_page_links_each_session_to_its_page(world):
    page = _client(world, "mentor").get(reverse("portal:training_cohort", args=[world.cohort.pk]))
    for session in world.sessions:
        assert _url(session) in page.content.decode()


def test_the_session_page_costs_the_same_queries_with_3_and_30_learners(
    world, django_assert_max_num_queries
):
    session, _document = _booked_session(world)
    world.cohort.capacity = 40
    world.cohort.save()
    client = _client(world, "coordinator")
    for count in (3, 27):
        for n in range(count):
            new = learner(
                world.programme, world.coordinator, cohort=world.cohort, alias=f"N{count}-{n}"
            )
            enrolment = new.enrolments.get()
            Enrolment.objects.filter(pk=enrolment.pk).update(status="active")
            services.attendance_record(
                session=session, user=world.coordinator, marks={enrolment.pk: "late"}
            )
        with django_assert_max_num_queries(11):
            response = client.get(_url(session))
        assert response.status_code == 200
    assert len(response.context["learners"]) == 32
