"""``manage.py sync_permissions`` also repairs a missed end of membership: if the receiver of
``partners.signals.membership_ended`` failed, the person kept their team places and the
workspace; the sync finds them and takes them off, as the receiver would have."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import PageLogEntry

from partners.models import Membership
from partners.services import membership_add, membership_remove
from partners.signals import membership_ended
from projects import audit
from projects.models import ProjectPage, TeamMembership
from projects.receivers import on_membership_ended
from projects.signals import team_access_revoked
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db

RECEIVER = "projects.membership_ended"


def run(*args):
    out = StringIO()
    call_command("sync_permissions", *args, stdout=out)
    return out.getvalue()


def can_enter(user, project):
    user = get_user_model().objects.get(pk=user.pk)  # a fresh permission cache
    return user.has_perm("projects.enter_workspace", ProjectPage.objects.get(pk=project.pk))


@pytest.fixture
def receiver_missed():
    """The projects receiver of ``membership_ended`` never runs, as if it had failed."""
    assert membership_ended.disconnect(dispatch_uid=RECEIVER)
    yield
    membership_ended.connect(on_membership_ended, dispatch_uid=RECEIVER)


def _remove_from_partner(project, partner, member, django_capture_on_commit_callbacks):
    admin = partner.memberships.get(role="admin").user
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(
            membership=Membership.objects.get(organization=partner, user=member), user=admin
        )


def test_sync_takes_off_the_team_someone_whose_membership_ended_unnoticed(
    receiver_missed, django_capture_on_commit_callbacks
):
    project, partner, member = project_with_partner_on_team()
    _remove_from_partner(project, partner, member, django_capture_on_commit_callbacks)
    # The receiver was missed: the place and the workspace are still there.
    assert TeamMembership.objects.filter(project=project, user=member).exists()
    assert can_enter(member, project)

    out = StringIO()
    with pytest.raises(CommandError, match="1 difference"):
        call_command("sync_permissions", stdout=out)
    assert (
        f"user {member.pk} is on the team for {partner.title} but no longer a member of it"
        in out.getvalue()
    )
    assert TeamMembership.objects.filter(project=project, user=member).exists()  # only reported

    revoked = []

    def closed(sender, project_id, user_ids, **kwargs):
        revoked.append((project_id, user_ids))

    team_access_revoked.connect(closed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            out = run("--fix")
    finally:
        team_access_revoked.disconnect(closed)
    assert "Repaired 1 difference(s)." in out
    assert not TeamMembership.objects.filter(project=project, user=member).exists()
    assert not can_enter(member, project)
    assert revoked == [(project.pk, [member.pk])]  # their chat sockets close
    assert PageLogEntry.objects.filter(page_id=project.pk, action=audit.TEAM_MEMBERSHIP_ENDED)
    assert "No drift" in run()


def test_a_place_held_for_another_organization_the_person_still_belongs_to_stays(
    receiver_missed, django_capture_on_commit_callbacks
):
    project, partner, member = project_with_partner_on_team()
    lead = project.lead_organization
    membership_add(organization=lead, user=member)
    # their place is held for the lead organization, which they still belong to
    TeamMembership.objects.filter(project=project, user=member).update(organization=lead)
    _remove_from_partner(project, partner, member, django_capture_on_commit_callbacks)
    assert "No drift" in run()
    assert can_enter(member, project)


def test_no_drift_when_the_receiver_ran(django_capture_on_commit_callbacks):
    project, partner, member = project_with_partner_on_team()
    _remove_from_partner(project, partner, member, django_capture_on_commit_callbacks)
    assert not TeamMembership.objects.filter(project=project, user=member).exists()
    assert "No drift" in run()
