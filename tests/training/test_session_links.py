"""A session's room booked for the project through the shared resources and its materials
from the project's documents or the knowledge base, offered through hooks."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources import bookings
from resources import services as resources_services
from training import services, session_links
from training.models import Session, SessionMaterial
from workspace.models import ProjectDocument

from .builders import day

pytestmark = pytest.mark.django_db


def _moment(days, hour):
    return timezone.make_aware(datetime.combine(day(days), time(hour)))


def _room(world, *, project=True, title="Aula 2"):
    """A room of the outsider's organization, booked by the partner from 10:00 to 14:00 in
    three days, for the world's project unless ``project`` is False."""
    from partners.models import PartnerPage

    owner = PartnerPage.objects.get(title="Outsider org")
    listing = resources_services.listing_create(
        user=world.outsider,
        organization=owner,
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
        starts_at=_moment(3, 10),
        ends_at=_moment(3, 14),
        project=world.project if project else None,
    )
    return booking


def _post(client, world, **data):
    values = {
        "starts_at": _moment(3, 11).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 120,
        "topic": "Python",
        **data,
    }
    return client.post(reverse("portal:training_session_new", args=[world.cohort.pk]), values)


def test_a_session_takes_a_room_booked_for_the_project_and_its_materials(world):
    booking = _room(world)
    _room(world, project=False, title="Sala gran")  # booked, but not for the project
    document = ProjectDocument.objects.create(project=world.project, title="Exercises week 1")
    client = Client()
    client.force_login(world.coordinator)
    form = client.get(reverse("portal:training_session_new", args=[world.cohort.pk]))
    rooms = dict(form.context["form"].fields["room_booking"].choices)
    key = f"resources:booking:{booking.pk}"
    assert set(rooms) == {"", key} and "Aula 2 · Outsider org" in rooms[key]
    materials = dict(form.context["form"].fields["materials"].choices)
    assert materials[f"workspace:document:{document.pk}"] == "Exercises week 1 (Project documents)"

    response = _post(
        client, world, room_booking=key, materials=[f"workspace:document:{document.pk}"]
    )

    assert response.status_code == 302
    session = Session.objects.get(topic="Python")
    assert (session.room, session.room_booking) == ("Aula 2 · Outsider org", key)
    assert session.room_url == reverse("resources:resource_detail", args=[booking.listing_id])
    (material,) = SessionMaterial.objects.filter(session=session)
    assert material.url == reverse("portal:project_document", args=[world.project.pk, document.pk])
    page = client.get(reverse("portal:training_cohort", args=[world.cohort.pk])).content.decode()
    assert f'href="{session.room_url}"' in page and f'href="{material.url}"' in page


def test_a_booking_that_does_not_cover_the_session_is_refused_with_nothing_stored(world):
    key = f"resources:booking:{_room(world).pk}"
    client = Client()
    client.force_login(world.coordinator)
    sessions = Session.objects.count()

    late = _post(
        client, world, room_booking=key, starts_at=_moment(3, 13).strftime("%Y-%m-%dT%H:%M")
    )
    assert late.status_code == 200
    assert (
        "The room&#x27;s booking does not cover the session&#x27;s time." in late.content.decode()
    )
    with pytest.raises(ValidationError):
        services.session_create(
            cohort=world.cohort,
            user=world.coordinator,
            starts_at=_moment(3, 11),
            topic="Python",
            room_booking="resources:booking:999999",
        )
    unknown = _post(client, world, materials=["workspace:document:999999"])
    assert unknown.status_code == 200
    assert Session.objects.count() == sessions and not SessionMaterial.objects.exists()


def test_only_holding_room_bookings_of_the_project_that_have_not_ended_are_offered(world):
    booking = _room(world)
    assert list(session_links.room_bookings(world.project)) == [f"resources:booking:{booking.pk}"]
    bookings.booking_cancel(booking=booking, user=world.partner_admin)
    assert session_links.room_bookings(world.project) == {}


def test_a_trainer_cannot_add_a_session_with_a_room(world):
    key = f"resources:booking:{_room(world).pk}"
    client = Client()
    client.force_login(world.trainer)
    sessions = Session.objects.count()
    assert _post(client, world, room_booking=key).status_code == 403
    assert Session.objects.count() == sessions


def test_the_knowledge_base_offers_its_public_items_as_materials(world):
    from tests.knowledge import builders as knowledge

    facilitator = world.outsider
    place = knowledge.community(facilitator=facilitator)
    item = knowledge.published_item(community=place, user=facilitator, title="Safe passwords")
    knowledge.published_item(
        community=place, user=facilitator, title="Members' notes", members_only=True
    )

    offered = session_links.materials(world.project)

    row = offered[f"knowledge:item:{item.translation_key}"]
    assert (row["title"], row["url"], row["source"]) == (
        "Safe passwords",
        item.url,
        "Knowledge base",
    )
    assert "Members' notes" not in {row["title"] for row in offered.values()}


def test_the_session_ends_within_the_booking(world):
    booking = _room(world)
    session = services.session_create(
        cohort=world.cohort,
        user=world.coordinator,
        starts_at=_moment(3, 12),
        duration_minutes=120,
        topic="Git",
        room_booking=f"resources:booking:{booking.pk}",
    )
    assert session.starts_at + timedelta(minutes=session.duration_minutes) == booking.ends_at
