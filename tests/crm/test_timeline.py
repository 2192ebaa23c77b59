"""The contact's timeline: the organization's own interactions and, for a contact linked to a
portal account, what the portal knows the person did with that organization (volunteer hours
on its projects, bookings for it or of its resources, places on project teams through it) —
never what they did elsewhere. The CRM learns it through ``core.person_activity``."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from crm import selectors, services
from resources import services as resource_services
from resources.models import Booking
from tests.factories import UserFactory
from tests.utils import approved_project, project_with_partner_on_team
from volunteers.models import HoursLog, Role

pytestmark = pytest.mark.django_db


def _listing(organization, admin, title):
    return resource_services.listing_create(
        user=admin,
        organization=organization,
        type="offer",
        kind="room",
        title=title,
        description="A room.",
        audience="public",
        expires_on=timezone.localdate() + timedelta(days=60),
    )


def test_the_timeline_shows_what_the_portal_knows_about_the_person_here_only(client):
    admin = UserFactory(username="partner_admin")
    project, partner, member = project_with_partner_on_team(partner_admin=admin)
    elsewhere = approved_project(title="Somebody else's project")
    ours = Role.objects.create(project=project, title="Tutor")
    theirs = Role.objects.create(project=elsewhere, title="Driver")
    yesterday = timezone.localdate() - timedelta(days=1)
    HoursLog.objects.create(user=member, role=ours, day=yesterday, hours=Decimal("2.5"))
    HoursLog.objects.create(user=member, role=theirs, day=yesterday, hours=Decimal("4"))
    room = _listing(partner, admin, "Our meeting room")
    start = timezone.now() + timedelta(days=3)
    Booking.objects.create(
        listing=room,
        organization=partner,
        requested_by=member,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    services.crm_role_set(organization=partner, user=admin, role="viewer", by=admin)
    book = services.book_get_or_create(partner)
    contact = services.contact_create(book=book, name="Team member", user=member)
    services.interaction_add(contact=contact, kind="call", summary="Welcome call")

    rows = selectors.timeline(contact, partner.pk)
    kinds = [row["kind"] for row in rows]
    assert sorted(kinds) == ["Booking", "Call", "Project team", "Volunteer hours"]
    text = " ".join(row["summary"] for row in rows)
    assert "Tutor" in text and "Our meeting room" in text and project.title in text
    assert "Driver" not in text  # hours on a project the organization is not on

    client.force_login(admin)
    page = client.get(reverse("portal:crm_contact_detail", args=[partner.pk, contact.pk]))
    body = page.content.decode()
    assert "Welcome call" in body and "Our meeting room" in body and "from the portal" in body


def test_a_contact_without_an_account_shows_only_interactions(crm):
    services.interaction_add(contact=crm.contact, kind="meeting", summary="Coffee")
    assert [row["summary"] for row in selectors.timeline(crm.contact, crm.org.pk)] == ["Coffee"]
