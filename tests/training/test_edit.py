"""Coordinators correct a learner's details (the ones mentors are matched on too) and change a
session (time, trainer, room booked through the shared resources, materials) after creating
them; nobody else may, and refused input changes nothing."""

from datetime import datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from resources import bookings
from resources import services as resources_services
from resources.models import Booking
from taxonomy.models import Sector
from training import audit, matching, services
from training.models import Learner, Session, SessionMaterial
from volunteers.services import profile_save
from workspace.models import ProjectDocument

from .builders import at, day

pytestmark = pytest.mark.django_db

ROLES = ("coordinator", "trainer", "mentor", "partner_admin", "outsider", "editor", "anonymous")
L = "login"


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return L
    return response.status_code


def _moment(days, hour):
    return timezone.make_aware(datetime.combine(day(days), time(hour)))


def _room(world, title, *, starts=10, ends=14):
    """A room of the outsider's organization booked for the world's project in three days."""
    from partners.models import PartnerPage

    listing = resources_services.listing_create(
        user=world.outsider,
        organization=PartnerPage.objects.get(title="Outsider org"),
        type="offer",
        kind="room",
        title=title,
        description="A room for twelve.",
        audience="public",
        expires_on=day(60),
    )
    (booking,) = bookings.booking_request(
        user=world.partner_admin,
        listing=listing,
        organization=world.partner,
        starts_at=_moment(3, starts),
        ends_at=_moment(3, ends),
        project=world.project,
    )
    return booking


def _key(booking):
    return f"resources:booking:{booking.pk}"


def _entries(action):
    return PageLogEntry.objects.filter(action=action)


# --- Learners ---------------------------------------------------------------------------------


def _learner_data(world, **changes):
    return {
        "alias": "Bo",
        "birth_year": world.adult.birth_year,
        "eligibility": "neet",
        "legal_basis": "consent",
        "referral": "social_services",
        "interests": "Python, robots",
        "languages": "Arabic",
        "availability": "weekends",
        **changes,
    }


@pytest.mark.parametrize(
    "name,args",
    [
        ("training_learner_edit", lambda w: [w.adult.pk]),
        ("training_session_edit", lambda w: [w.sessions[0].pk]),
    ],
)
def test_edit_pages_permitted_and_denied(world, name, args):
    url = reverse(f"portal:{name}", args=args(world))
    actual = tuple(_outcome(_client(world, role).get(url)) for role in ROLES)
    assert actual == (200, 403, 403, 404, 404, 404, L)


def test_a_coordinator_changes_what_a_learner_is_matched_on(world):
    culture = Sector.objects.get_or_create(slug="culture", defaults={"name": "Culture"})[0]
    profile_save(
        user=world.trainer,
        skills="Robots",
        languages="Arabic",
        availability="weekends",
        contact_consent=True,
        sectors=[culture],
    )
    url = reverse("portal:training_learner_edit", args=[world.adult.pk])
    form = _client(world, "coordinator").get(url)
    assert form.context["form"].initial["alias"] == "Bo"
    before = {c.user.pk: c for c in matching.mentor_candidates(world.adult)}
    assert before[world.trainer.pk].score == 0

    response = _client(world, "coordinator").post(
        url, {**_learner_data(world), "sectors": [culture.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:training_learner", args=[world.adult.pk])
    learner = Learner.objects.get(pk=world.adult.pk)
    assert (learner.interests, learner.languages, learner.availability) == (
        "Python, robots",
        "Arabic",
        "weekends",
    )
    assert list(learner.sectors.all()) == [culture]
    assert learner.code == world.adult.code
    after = {c.user.pk: c for c in matching.mentor_candidates(learner)}
    assert after[world.trainer.pk].score == 10 + 5 + 3 + 2
    (entry,) = _entries(audit.LEARNER_UPDATE)
    assert entry.user_id == world.coordinator.pk
    detail = entry.data["detail"]
    # The trail names the learner by code and the fields changed, never what they hold.
    assert world.adult.code in detail and "languages" in detail and "sectors" in detail
    assert "Arabic" not in detail and "Bo" not in detail.replace(world.adult.code, "")


@pytest.mark.parametrize("role,status", [("trainer", 403), ("mentor", 403)])
def test_staff_without_the_coordinators_role_cannot_change_a_learner(world, role, status):
    url = reverse("portal:training_learner_edit", args=[world.adult.pk])
    assert _client(world, role).post(url, _learner_data(world)).status_code == status
    assert Learner.objects.get(pk=world.adult.pk).languages == ""
    assert not _entries(audit.LEARNER_UPDATE).exists()


@pytest.mark.parametrize(
    "role,outcome", [("partner_admin", 404), ("outsider", 404), ("anonymous", L)]
)
def test_people_outside_the_programme_cannot_change_a_learner(world, role, outcome):
    url = reverse("portal:training_learner_edit", args=[world.adult.pk])
    assert _outcome(_client(world, role).post(url, _learner_data(world))) == outcome
    assert Learner.objects.get(pk=world.adult.pk).languages == ""
    assert not _entries(audit.LEARNER_UPDATE).exists()


def test_bad_learner_details_are_refused_and_nothing_changes(world):
    url = reverse("portal:training_learner_edit", args=[world.adult.pk])
    client = _client(world, "coordinator")
    minor_year = day(0).year - 15
    refused = [
        _learner_data(world, birth_year=minor_year),  # a minor without the guardian's consent
        _learner_data(world, birth_year=1900),
        _learner_data(world, availability="always"),
        _learner_data(world, alias=""),
    ]
    for data in refused:
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert "guardian" in str(client.post(url, refused[0]).context["form"].errors)
    learner = Learner.objects.get(pk=world.adult.pk)
    assert (learner.alias, learner.birth_year, learner.languages) == (
        "Bo",
        world.adult.birth_year,
        "",
    )
    assert not _entries(audit.LEARNER_UPDATE).exists()


def test_the_service_refuses_fields_it_does_not_edit(world):
    with pytest.raises(ValidationError):
        services.learner_update(learner=world.adult, user=world.coordinator, code="L-HACKED")
    assert Learner.objects.get(pk=world.adult.pk).code == world.adult.code


def test_the_learner_page_links_to_the_edit_page_for_coordinators_only(world):
    url = reverse("portal:training_learner", args=[world.adult.pk])
    edit = reverse("portal:training_learner_edit", args=[world.adult.pk])
    assert edit in _client(world, "coordinator").get(url).content.decode()
    assert edit not in _client(world, "trainer").get(url).content.decode()


# --- Sessions ---------------------------------------------------------------------------------


def _session_data(session, **changes):
    return {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": session.duration_minutes,
        "topic": session.topic,
        "room": session.room,
        "room_booking": session.room_booking,
        "trainer": "",
        "materials": list(session.materials.values_list("key", flat=True)),
        **changes,
    }


def _staff(world, user):
    return world.programme.staff.get(user=user).pk


def test_a_coordinator_changes_a_sessions_time_trainer_and_topic(world):
    session = world.sessions[1]
    url = reverse("portal:training_session_edit", args=[session.pk])
    form = _client(world, "coordinator").get(url).context["form"]
    assert form.initial["topic"] == "CSS"
    assert form.initial["trainer"].user == world.trainer

    response = _client(world, "coordinator").post(
        url,
        _session_data(
            session,
            starts_at=at(4, 16).strftime("%Y-%m-%dT%H:%M"),
            topic="CSS grid",
            trainer=_staff(world, world.coordinator),
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.topic, session.trainer) == (
        at(4, 16),
        "CSS grid",
        world.coordinator,
    )
    (entry,) = _entries(audit.SESSION_UPDATE)
    assert "CSS grid" in entry.data["detail"]


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
def test_only_coordinators_change_a_session(world, role, outcome):
    session = world.sessions[1]
    url = reverse("portal:training_session_edit", args=[session.pk])
    data = _session_data(session, topic="Changed")
    assert _outcome(_client(world, role).post(url, data)) == outcome
    assert Session.objects.get(pk=session.pk).topic == "CSS"
    assert not _entries(audit.SESSION_UPDATE).exists()


def test_a_session_outside_the_cohort_or_with_a_trainer_off_staff_is_refused(world):
    session = world.sessions[1]
    url = reverse("portal:training_session_edit", args=[session.pk])
    client = _client(world, "coordinator")
    outside = client.post(url, _session_data(session, starts_at=at(90).strftime("%Y-%m-%dT%H:%M")))
    assert outside.status_code == 200
    assert "within the cohort" in outside.content.decode()
    bad_trainer = client.post(url, _session_data(session, trainer="999999"))
    assert bad_trainer.status_code == 200
    short = client.post(url, _session_data(session, duration_minutes=5))
    assert short.status_code == 200
    assert Session.objects.get(pk=session.pk).starts_at == session.starts_at
    assert not _entries(audit.SESSION_UPDATE).exists()


def _booked_session(world):
    """The world's cohort's session in three days from 11:00 to 13:00 in Aula 2, with a
    project document among its materials."""
    booking = _room(world, "Aula 2")
    document = ProjectDocument.objects.create(project=world.project, title="Exercises week 1")
    session = services.session_create(
        cohort=world.cohort,
        user=world.coordinator,
        starts_at=_moment(3, 11),
        topic="Python",
        room_booking=_key(booking),
        materials=[f"workspace:document:{document.pk}"],
    )
    return session, booking, document


def test_a_coordinator_moves_a_session_to_another_room_booked_for_the_project(world):
    session, old, _document = _booked_session(world)
    new = _room(world, "Sala gran")
    url = reverse("portal:training_session_edit", args=[session.pk])
    form = _client(world, "coordinator").get(url).context["form"]
    assert form.initial["room_booking"] == _key(old)
    assert _key(new) in dict(form.fields["room_booking"].choices)

    response = _client(world, "coordinator").post(
        url, _session_data(session, room_booking=_key(new))
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.room_booking, session.room) == (_key(new), "Sala gran · Outsider org")
    assert session.room_url == reverse("resources:resource_detail", args=[new.listing_id])
    # The session only links a booking: the old one stays the project's, as it was.
    assert Booking.objects.get(pk=old.pk).status == old.status
    page = _client(world, "coordinator").get(
        reverse("portal:training_cohort", args=[world.cohort.pk])
    )
    assert f'href="{session.room_url}"' in page.content.decode()


def test_a_room_booking_that_does_not_cover_the_new_time_is_refused(world):
    session, old, _document = _booked_session(world)
    short = _room(world, "Sala petita", starts=12, ends=13)
    url = reverse("portal:training_session_edit", args=[session.pk])
    client = _client(world, "coordinator")
    message = "The room&#x27;s booking does not cover the session&#x27;s time."

    moved = client.post(url, _session_data(session, room_booking=_key(short)))
    later = client.post(
        url, _session_data(session, starts_at=_moment(3, 13).strftime("%Y-%m-%dT%H:%M"))
    )
    unknown = client.post(url, _session_data(session, room_booking="resources:booking:999999"))

    assert moved.status_code == later.status_code == unknown.status_code == 200
    assert message in moved.content.decode() and message in later.content.decode()
    session.refresh_from_db()
    assert (session.room_booking, session.starts_at) == (_key(old), _moment(3, 11))
    assert not _entries(audit.SESSION_UPDATE).exists()


def test_a_booking_no_longer_offered_is_kept_but_cannot_be_taken_anew(world):
    session, old, _document = _booked_session(world)
    bookings.booking_cancel(booking=old, user=world.partner_admin)
    url = reverse("portal:training_session_edit", args=[session.pk])
    client = _client(world, "coordinator")
    form = client.get(url).context["form"]
    assert _key(old) in dict(form.fields["room_booking"].choices)

    kept = client.post(url, _session_data(session, topic="Python 2"))

    assert kept.status_code == 302
    session.refresh_from_db()
    assert (session.topic, session.room_booking) == ("Python 2", _key(old))
    other = services.session_create(
        cohort=world.cohort, user=world.coordinator, starts_at=_moment(3, 11), topic="Other"
    )
    taken = client.post(
        reverse("portal:training_session_edit", args=[other.pk]),
        _session_data(other, room_booking=_key(old)),
    )
    assert taken.status_code == 200
    assert Session.objects.get(pk=other.pk).room_booking == ""


def test_a_coordinator_removes_a_room_and_adds_and_removes_materials(world):
    session, _old, document = _booked_session(world)
    second = ProjectDocument.objects.create(project=world.project, title="Cheat sheet")
    url = reverse("portal:training_session_edit", args=[session.pk])
    client = _client(world, "coordinator")
    kept_key = f"workspace:document:{document.pk}"
    new_key = f"workspace:document:{second.pk}"

    response = client.post(
        url, _session_data(session, room_booking="", room="Casal", materials=[new_key])
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.room, session.room_booking, session.room_url) == ("Casal", "", "")
    assert list(session.materials.values_list("key", flat=True)) == [new_key]

    client.post(url, _session_data(session, materials=[new_key, kept_key]))
    assert set(session.materials.values_list("key", flat=True)) == {new_key, kept_key}


def test_a_material_no_longer_offered_is_kept_while_ticked_and_unknown_ones_refused(world):
    session, _old, document = _booked_session(world)
    key = f"workspace:document:{document.pk}"
    SessionMaterial.objects.filter(session=session).update(title="Exercises (as handed out)")
    document.delete()
    url = reverse("portal:training_session_edit", args=[session.pk])
    client = _client(world, "coordinator")
    assert key in dict(client.get(url).context["form"].fields["materials"].choices)

    kept = client.post(url, _session_data(session, topic="Python again", materials=[key]))
    assert kept.status_code == 302
    assert session.materials.get().title == "Exercises (as handed out)"

    session.refresh_from_db()
    with pytest.raises(ValidationError):
        services.session_update(
            session=session,
            user=world.coordinator,
            starts_at=session.starts_at,
            topic="Nope",
            materials=[key, "workspace:document:999999"],
        )
    session.refresh_from_db()
    assert session.topic == "Python again" and session.materials.count() == 1


def test_the_cohort_page_links_each_session_to_its_edit_page_for_coordinators_only(world):
    url = reverse("portal:training_cohort", args=[world.cohort.pk])
    edit = reverse("portal:training_session_edit", args=[world.sessions[0].pk])
    assert edit in _client(world, "coordinator").get(url).content.decode()
    assert edit not in _client(world, "trainer").get(url).content.decode()
