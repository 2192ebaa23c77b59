"""Roles, removals, leaving, re-invitations: the last admin always stays."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partners import selectors
from partners.models import Invitation, Membership
from partners.services import (
    invitation_create,
    invitation_revoke,
    membership_add,
    membership_change_role,
    membership_leave,
    membership_remove,
)
from partners.signals import membership_ended
from tests.factories import UserFactory
from tests.partners.helpers import counts
from tests.utils import approved_organization, organization_with_member

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def team():
    admin = UserFactory()
    organization, member = organization_with_member(admin=admin)
    return organization, admin, member


def test_the_last_admin_cannot_be_demoted(client, team):
    organization, admin, _member = team
    membership = Membership.objects.get(organization=organization, user=admin)
    client.force_login(admin)
    before = counts()
    response = client.post(
        reverse("portal:organization_member_role", args=[organization.pk, membership.pk]),
        {"role": "member"},
        follow=True,
    )
    assert "An organization needs at least one admin" in response.content.decode()
    assert counts() == before
    with pytest.raises(ValidationError):
        membership_change_role(membership=membership, role="member", user=admin)
    assert counts() == before


def test_the_last_admin_cannot_be_removed_by_a_superuser(client, team):
    organization, admin, _member = team
    superuser = UserFactory(is_superuser=True)
    membership = Membership.objects.get(organization=organization, user=admin)
    client.force_login(superuser)
    before = counts()
    response = client.post(
        reverse("portal:organization_member_remove", args=[organization.pk, membership.pk]),
        follow=True,
    )
    assert "An organization needs at least one admin" in response.content.decode()
    assert counts() == before


def test_the_last_admin_cannot_leave(client, team):
    organization, admin, _member = team
    client.force_login(admin)
    before = counts()
    response = client.post(
        reverse("portal:organization_leave", args=[organization.pk]), follow=True
    )
    assert "You are this organization&#x27;s last admin" in response.content.decode()
    assert counts() == before


def test_with_two_admins_one_may_step_down_and_then_leave(team):
    organization, admin, member = team
    membership_change_role(
        membership=Membership.objects.get(organization=organization, user=member),
        role="admin",
        user=admin,
    )
    assert selectors.can_manage_members(_fresh(member), organization)
    mine = Membership.objects.get(organization=organization, user=admin)
    membership_change_role(membership=mine, role="member", user=_fresh(member))
    admin = _fresh(admin)
    assert not selectors.can_manage_members(admin, organization)
    assert admin.has_perm("partners.view_partner_draft", organization)
    membership_leave(organization=organization, user=admin)
    assert list(organization.memberships.values_list("user", "role")) == [(member.pk, "admin")]


def test_a_member_can_leave(client, team, django_capture_on_commit_callbacks):
    organization, _admin, member = team
    ended = []
    membership_ended.connect(lambda **kw: ended.append(kw), weak=False, dispatch_uid="t")
    try:
        client.force_login(member)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("portal:organization_leave", args=[organization.pk]))
    finally:
        membership_ended.disconnect(dispatch_uid="t")
    assert response.status_code == 302 and response.url == reverse("portal:dashboard")
    assert not Membership.objects.filter(organization=organization, user=member).exists()
    assert not _fresh(member).has_perm("partners.view_partner_draft", organization)
    assert [(e["organization_id"], e["user_id"]) for e in ended] == [(organization.pk, member.pk)]


def test_membership_ended_is_not_sent_when_the_transaction_rolls_back(team):
    from django.db import transaction

    organization, admin, member = team
    ended = []
    membership_ended.connect(lambda **kw: ended.append(kw), weak=False, dispatch_uid="t2")
    try:
        with transaction.atomic():
            membership_remove(
                membership=Membership.objects.get(organization=organization, user=member),
                user=admin,
            )
            transaction.set_rollback(True)
    finally:
        membership_ended.disconnect(dispatch_uid="t2")
    assert ended == []
    assert Membership.objects.filter(organization=organization, user=member).exists()


def test_someone_outside_cannot_leave(client, team):
    organization, _admin, _member = team
    client.force_login(UserFactory())
    response = client.post(reverse("portal:organization_leave", args=[organization.pk]))
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        membership_leave(organization=organization, user=UserFactory())


def test_services_refuse_people_who_may_not_manage_members(team):
    organization, _admin, member = team
    outsider_org = approved_organization()
    outsider = outsider_org.memberships.get().user
    membership = Membership.objects.get(organization=organization, user=member)
    before = counts()
    for call in (
        lambda: membership_change_role(membership=membership, role="admin", user=member),
        lambda: membership_remove(membership=membership, user=outsider),
        lambda: invitation_create(
            organization=organization, email="x@example.org", invited_by=member
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert counts() == before


def test_a_membership_of_another_organization_is_not_found(client, team):
    organization, admin, _member = team
    other, other_member = organization_with_member()
    foreign = Membership.objects.get(organization=other, user=other_member)
    client.force_login(admin)
    response = client.post(
        reverse("portal:organization_member_remove", args=[organization.pk, foreign.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_inviting_again_replaces_the_pending_invitation(team):
    organization, admin, _member = team
    first = invitation_create(organization=organization, email="dup@example.org", invited_by=admin)
    second = invitation_create(
        organization=organization, email="DUP@example.org", role="admin", invited_by=admin
    )
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert [i.pk for i in selectors.organization_invitations_pending(organization)] == [second.pk]


def test_revoking_twice_is_refused(team):
    organization, admin, _member = team
    invitation = invitation_create(
        organization=organization, email="r@example.org", invited_by=admin
    )
    invitation_revoke(invitation=invitation, user=admin)
    with pytest.raises(ValidationError):
        invitation_revoke(invitation=Invitation.objects.get(pk=invitation.pk), user=admin)


def test_membership_add_refuses_an_unknown_role(team):
    organization, _admin, _member = team
    with pytest.raises(ValidationError):
        membership_add(organization=organization, user=UserFactory(), role="owner")
