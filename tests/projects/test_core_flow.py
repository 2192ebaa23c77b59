import pytest
from django.core.exceptions import ValidationError

from projects.models import Participation
from projects.selectors import can_coordinate, can_enter_workspace, can_view_project
from projects.services import participation_leave, team_add, team_remove
from projects.signals import team_access_revoked
from tests.factories import UserFactory
from tests.utils import approved_organization, project_with_partner_on_team

pytestmark = pytest.mark.django_db


def test_propose_approve_partner_team_and_leave(django_capture_on_commit_callbacks):
    coordinator = UserFactory()
    project, partner, member = project_with_partner_on_team(coordinator=coordinator)
    assert project.live
    assert can_coordinate(coordinator, project)
    assert can_enter_workspace(member, project)
    assert not can_coordinate(member, project)

    revoked = []
    team_access_revoked.connect(lambda **kw: revoked.append(kw), weak=False, dispatch_uid="t1")
    participation = Participation.objects.get(project=project, organization=partner)
    with django_capture_on_commit_callbacks(execute=True):
        participation_leave(participation=participation, user=partner.memberships.first().user)
    team_access_revoked.disconnect(dispatch_uid="t1")
    member = type(member).objects.get(pk=member.pk)  # drop guardian's cached perms
    assert not can_enter_workspace(member, project)
    assert revoked == [
        {
            "signal": team_access_revoked,
            "sender": type(project),
            "project_id": project.pk,
            "user_ids": [member.pk],
        }
    ]


def test_outsider_cannot_be_added_to_team():
    coordinator = UserFactory()
    project, partner, member = project_with_partner_on_team(coordinator=coordinator)
    outsider_org = approved_organization()
    with pytest.raises(ValidationError):
        team_add(
            project=project, user=outsider_org.memberships.first().user, organization=outsider_org
        )


def test_team_remove_revokes_workspace():
    project, partner, member = project_with_partner_on_team()
    team_remove(project=project, user=member)
    member = type(member).objects.get(pk=member.pk)
    assert not can_enter_workspace(member, project)
    assert can_view_project(member, project)  # published: everyone may read it


def test_leaving_an_organization_ends_only_the_team_places_held_for_it(
    django_capture_on_commit_callbacks,
):
    """Someone in two partner organizations, on one project for each, leaves one of them."""
    from partners.services import membership_add, membership_leave
    from projects.models import TeamMembership

    person = UserFactory()
    first, first_partner, _ = project_with_partner_on_team(member=person)
    second, second_partner, _ = project_with_partner_on_team(member=UserFactory())
    membership_add(organization=second_partner, user=person)
    team_add(project=second, user=person, organization=second_partner)
    revoked = []
    team_access_revoked.connect(lambda **kw: revoked.append(kw), weak=False, dispatch_uid="t2")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            membership_leave(organization=first_partner, user=person)
            # Taken off the team once the membership's end commits (partners' signal).
            assert TeamMembership.objects.filter(project=first, user=person).exists()
    finally:
        team_access_revoked.disconnect(dispatch_uid="t2")
    assert not TeamMembership.objects.filter(project=first, user=person).exists()
    assert TeamMembership.objects.filter(project=second, user=person).exists()
    assert [(kw["project_id"], kw["user_ids"]) for kw in revoked] == [(first.pk, [person.pk])]
    person = type(person).objects.get(pk=person.pk)
    assert not can_enter_workspace(person, first)
    assert can_enter_workspace(person, second)


def test_membership_rolled_back_keeps_the_team_place():
    from django.db import transaction

    from partners.services import membership_leave
    from projects.models import TeamMembership

    project, partner, member = project_with_partner_on_team()
    with transaction.atomic():
        membership_leave(organization=partner, user=member)
        transaction.set_rollback(True)
    assert TeamMembership.objects.filter(project=project, user=member).exists()
