"""A project always keeps a coordinator: removing, stepping back, taking their organization out
of the project, removing them from their organization, their leaving it or deleting their account
is refused with a message that says what to do, and nothing changes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import Membership
from partners.services import membership_add, membership_leave, membership_remove
from projects.models import Participation, TeamMembership
from projects.services import (
    participation_leave,
    participation_remove,
    team_member_remove,
    team_set_coordinator,
)
from tests.factories import PASSWORD, UserFactory
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db


def state():
    return (
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(Participation.objects.order_by("pk").values_list("pk", "status")),
        list(TeamMembership.objects.order_by("pk").values_list("pk", "user", "is_coordinator")),
    )


@pytest.fixture
def project():
    """Clara coordinates for the lead; Pau, of the partner, is a plain member."""
    clara = UserFactory(first_name="Clara", last_name="Vidal")
    project, partner, pau = project_with_partner_on_team(coordinator=clara)
    return project, partner, clara, pau


def test_the_last_coordinator_is_neither_removed_nor_stepped_back(project):
    project, _, clara, _ = project
    before = state()
    with pytest.raises(ValidationError, match="make someone else coordinator first"):
        team_member_remove(project=project, user=clara, by=clara)
    with pytest.raises(ValidationError, match="make someone else coordinator first"):
        team_set_coordinator(project=project, user=clara, is_coordinator=False, by=clara)
    assert state() == before


def test_with_a_second_coordinator_the_first_may_step_back(project):
    project, _, clara, pau = project
    team_set_coordinator(project=project, user=pau, is_coordinator=True, by=clara)
    team_set_coordinator(project=project, user=clara, is_coordinator=False, by=pau)
    assert not TeamMembership.objects.get(project=project, user=clara).is_coordinator
    with pytest.raises(ValidationError, match="at least one coordinator"):
        team_set_coordinator(project=project, user=pau, is_coordinator=False, by=pau)


def test_the_last_coordinator_cannot_be_removed_from_their_organization(project, client):
    project, _, clara, _ = project
    lead = project.lead_organization
    co_admin = UserFactory()
    membership_add(organization=lead, user=co_admin, role=Membership.Role.ADMIN)
    before = state()
    with pytest.raises(ValidationError, match="only coordinator of the project “Digital skills"):
        membership_remove(
            membership=Membership.objects.get(organization=lead, user=clara), user=co_admin
        )
    with pytest.raises(ValidationError, match="only coordinator"):
        membership_leave(organization=lead, user=clara)
    assert state() == before
    # Over HTTP the admin reads why, and what to do.
    client.force_login(co_admin)
    membership = Membership.objects.get(organization=lead, user=clara)
    response = client.post(
        f"/portal/organizations/{lead.pk}/members/{membership.pk}/remove/", follow=True
    )
    said = " ".join(str(m) for m in response.context["messages"])
    assert "make someone else its coordinator first" in said
    assert state() == before


def test_once_someone_else_coordinates_the_person_may_leave(project):
    project, partner, clara, pau = project
    lead = project.lead_organization
    co_admin = UserFactory()
    membership_add(organization=lead, user=co_admin, role=Membership.Role.ADMIN)
    team_set_coordinator(project=project, user=pau, is_coordinator=True, by=clara)
    membership_leave(organization=lead, user=clara)
    assert not Membership.objects.filter(organization=lead, user=clara).exists()


def test_a_partner_holding_the_only_coordinator_cannot_leave_or_be_removed(project):
    project, partner, clara, pau = project
    team_set_coordinator(project=project, user=pau, is_coordinator=True, by=clara)
    team_set_coordinator(project=project, user=clara, is_coordinator=False, by=pau)
    participation = Participation.objects.get(project=project, organization=partner)
    partner_admin = partner.memberships.get(role="admin").user
    before = state()
    with pytest.raises(ValidationError, match="only coordinator is on its team for"):
        participation_leave(participation=participation, user=partner_admin)
    with pytest.raises(ValidationError, match="only coordinator is on its team for"):
        participation_remove(participation=participation, user=pau)
    assert state() == before


def test_the_last_coordinator_cannot_delete_their_account(project, client):
    project, _, clara, _ = project
    lead = project.lead_organization
    membership_add(organization=lead, user=UserFactory(), role=Membership.Role.ADMIN)
    client.force_login(clara)
    before = state()
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "You are the only coordinator of the project" in response.content.decode()
    assert state() == before
