"""The propose → approve → invite / request → accept → team → leave story, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from partners.services import membership_add
from projects.models import Participation, ProjectPage, TeamMembership
from projects.selectors import can_coordinate, can_enter_workspace, can_view_project
from projects.services import (
    participation_accept,
    participation_decline,
    participation_invite,
    participation_leave,
    participation_remove,
    participation_request,
    project_approve,
    project_propose,
    project_reject,
    team_member_add,
    team_member_remove,
    team_set_coordinator,
)
from projects.signals import team_access_revoked
from tests.factories import UserFactory
from tests.projects.builders import reviewer
from tests.utils import approved_organization, reread, rolled_back

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same person without permission caches, as on their next request."""
    return type(user).objects.get(pk=user.pk)


def kinds(user):
    # Only the project notifications: organization approvals have their own tests.
    return list(
        Notification.objects.filter(user=user, kind__startswith="projects.").values_list(
            "kind", flat=True
        )
    )


def test_whole_story(django_capture_on_commit_callbacks, mailoutbox):
    clara = UserFactory(username="clara")
    lead = approved_organization(admin=clara, title="Fundació Pas a Pas")
    bea, marc = UserFactory(username="bea"), UserFactory(username="marc")
    coop = approved_organization(admin=bea, title="Coop Digital")
    membership_add(organization=coop, user=marc)
    pau = UserFactory(username="pau")
    ngo = approved_organization(admin=pau, title="Veïns en Xarxa")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        project = project_propose(
            user=clara,
            lead_organization=lead,
            title="Digital skills for young people",
            summary="Coding clubs",
            needs=["mentoring", "laptops"],
        )
    assert not project.live
    assert project.current_workflow_state.status == "in_progress"
    assert can_coordinate(fresh(clara), project)
    assert not can_view_project(fresh(bea), project)

    with django_capture_on_commit_callbacks(execute=True):
        project = project_approve(project=project, user=reviewer(), comment="Great")
    assert project.live
    assert kinds(clara) == ["projects.approved"]
    assert any("approved" in m.subject and m.to == [clara.email] for m in mailoutbox)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = participation_invite(
            project=project, organization=coop, user=fresh(clara), message="Join us!"
        )
    assert invitation.status == Participation.Status.INVITED
    assert kinds(bea) == ["projects.invitation"]
    assert [m.to for m in mailoutbox] == [[bea.email]]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participation_accept(participation=invitation, user=fresh(bea))
    assert "projects.accepted" in kinds(clara)
    assert [m.to for m in mailoutbox] == [[clara.email]]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = participation_request(
            project=project, organization=ngo, user=pau, message="We have rooms"
        )
    assert request.status == Participation.Status.REQUESTED
    assert "projects.request" in kinds(clara)
    assert [m.to for m in mailoutbox] == [[clara.email]]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        participation_accept(participation=request, user=fresh(clara))
    assert "projects.accepted" in kinds(pau)
    assert [m.to for m in mailoutbox] == [[pau.email]]

    team_member_add(project=project, user=marc, organization=coop, by=fresh(clara))
    assert can_enter_workspace(fresh(marc), project)
    assert not can_coordinate(fresh(marc), project)
    assert "projects.team_added" in kinds(marc)
    team_set_coordinator(project=project, user=marc, is_coordinator=True, by=fresh(clara))
    assert can_coordinate(fresh(marc), project)

    revoked = []

    def listener(**kwargs):
        revoked.append(kwargs["user_ids"])

    team_access_revoked.connect(listener, dispatch_uid="story")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            participation_leave(
                participation=Participation.objects.get(project=project, organization=coop),
                user=fresh(bea),
            )
    finally:
        team_access_revoked.disconnect(dispatch_uid="story")
    assert revoked == [[marc.pk]]
    assert not can_enter_workspace(fresh(marc), project)
    assert not can_coordinate(fresh(marc), project)
    assert "projects.left" in kinds(clara)
    assert Participation.objects.get(project=project, organization=coop).status == "left"

    lead_participation = Participation.objects.get(project=project, organization=lead)
    with pytest.raises(ValidationError, match="lead organization cannot leave"):
        participation_leave(participation=lead_participation, user=fresh(clara))
    assert Participation.objects.get(pk=lead_participation.pk).status == "active"


def test_rejection_tells_the_proposer_why(django_capture_on_commit_callbacks, mailoutbox):
    clara = UserFactory()
    lead = approved_organization(admin=clara)
    project = project_propose(user=clara, lead_organization=lead, title="Half-baked")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        project_reject(project=project, user=reviewer(), comment="Add a budget, please.")
    project.refresh_from_db()
    assert not project.live
    note = Notification.objects.get(user=clara, kind="projects.rejected")
    assert "Add a budget, please." in note.body
    assert mailoutbox[-1].to == [clara.email]
    assert "Add a budget" in mailoutbox[-1].body


def test_coordinator_removes_a_partner_and_its_people(django_capture_on_commit_callbacks):
    clara = UserFactory()
    lead = approved_organization(admin=clara)
    project = project_approve(
        project=project_propose(user=clara, lead_organization=lead, title="P"), user=reviewer()
    )
    bea, marc = UserFactory(), UserFactory()
    coop = approved_organization(admin=bea)
    membership_add(organization=coop, user=marc)
    participation_accept(
        participation=participation_invite(project=project, organization=coop, user=clara),
        user=bea,
    )
    team_member_add(project=project, user=marc, organization=coop, by=clara)
    team_member_add(project=project, user=bea, organization=coop, by=clara)
    revoked = []
    team_access_revoked.connect(
        lambda **kw: revoked.append(sorted(kw["user_ids"])), weak=False, dispatch_uid="rm"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            participation_remove(
                participation=Participation.objects.get(project=project, organization=coop),
                user=fresh(clara),
            )
    finally:
        team_access_revoked.disconnect(dispatch_uid="rm")
    assert revoked == [sorted([marc.pk, bea.pk])]
    assert not TeamMembership.objects.filter(project=project, organization=coop).exists()
    assert "projects.removed" in kinds(bea)


# --- Bad input: a clear message, nothing changed ---------------------------------------------


@pytest.fixture(scope="module")
def built_running(django_db_setup, django_db_blocker):
    """Built once per module; each test's changes are rolled back."""
    with rolled_back(django_db_blocker):
        yield _running()


@pytest.fixture
def running(built_running, db):
    return reread(built_running)


def _running():
    """A published project with an active partner and an organization not involved."""
    clara = UserFactory(username="clara")
    lead = approved_organization(admin=clara, title="Lead")
    project = project_approve(
        project=project_propose(user=clara, lead_organization=lead, title="Running"),
        user=reviewer(),
    )
    bea, marc = UserFactory(username="bea"), UserFactory(username="marc")
    coop = approved_organization(admin=bea, title="Coop")
    membership_add(organization=coop, user=marc)
    participation_accept(
        participation=participation_invite(project=project, organization=coop, user=clara),
        user=bea,
    )
    pau = UserFactory(username="pau")
    ngo = approved_organization(admin=pau, title="NGO")
    return {
        "project": project,
        "clara": clara,
        "lead": lead,
        "coop": coop,
        "bea": bea,
        "marc": marc,
        "ngo": ngo,
        "pau": pau,
    }


def snapshot():
    return (
        list(Participation.objects.order_by("pk").values_list("pk", "status", "message")),
        list(TeamMembership.objects.order_by("pk").values_list("pk", "is_coordinator")),
        Notification.objects.count(),
        ProjectPage.objects.count(),
    )


@pytest.mark.parametrize("state", ["active", "invited", "requested", "lead"])
def test_request_from_an_organization_already_involved(running, state):
    project, ngo, pau = running["project"], running["ngo"], running["pau"]
    if state == "invited":
        participation_invite(project=project, organization=ngo, user=running["clara"])
    elif state == "requested":
        participation_request(project=project, organization=ngo, user=pau)
    elif state == "active":
        participation_accept(
            participation=participation_request(project=project, organization=ngo, user=pau),
            user=running["clara"],
        )
    organization, admin = (running["lead"], running["clara"]) if state == "lead" else (ngo, pau)
    before = snapshot()
    with pytest.raises(ValidationError, match="already involved"):
        participation_request(project=project, organization=organization, user=admin)
    assert snapshot() == before


def test_invitation_of_an_organization_already_involved(running):
    before = snapshot()
    with pytest.raises(ValidationError, match="already involved"):
        participation_invite(
            project=running["project"], organization=running["coop"], user=running["clara"]
        )
    assert snapshot() == before


@pytest.mark.parametrize("second", [participation_accept, participation_decline])
def test_accepting_twice(running, second):
    invitation = participation_invite(
        project=running["project"], organization=running["ngo"], user=running["clara"]
    )
    participation_accept(participation=invitation, user=running["pau"])
    before = snapshot()
    with pytest.raises(ValidationError, match="already been answered"):
        second(participation=invitation, user=running["pau"])
    assert snapshot() == before


def test_answer_by_the_wrong_side(running):
    invitation = participation_invite(
        project=running["project"], organization=running["ngo"], user=running["clara"]
    )
    before = snapshot()
    # An invitation is answered by the invited organization, not by the coordinator.
    with pytest.raises(PermissionDenied):
        participation_accept(participation=invitation, user=running["clara"])
    assert snapshot() == before


def test_adding_someone_outside_the_active_partners(running):
    project, clara = running["project"], running["clara"]
    outsider_admin = running["pau"]
    before = snapshot()
    with pytest.raises(ValidationError, match="active partners"):
        team_member_add(
            project=project, user=outsider_admin, organization=running["ngo"], by=clara
        )
    # Naming an active partner the person does not belong to is refused too.
    with pytest.raises(ValidationError, match="not a member"):
        team_member_add(
            project=project, user=outsider_admin, organization=running["coop"], by=clara
        )
    assert snapshot() == before


def test_adding_a_pending_partner_member_to_the_team(running):
    invitation = participation_invite(
        project=running["project"], organization=running["ngo"], user=running["clara"]
    )
    assert invitation.status == "invited"
    before = snapshot()
    with pytest.raises(ValidationError, match="active partners"):
        team_member_add(
            project=running["project"],
            user=running["pau"],
            organization=running["ngo"],
            by=running["clara"],
        )
    assert snapshot() == before


def test_adding_someone_twice(running):
    team_member_add(
        project=running["project"],
        user=running["marc"],
        organization=running["coop"],
        by=running["clara"],
    )
    before = snapshot()
    with pytest.raises(ValidationError, match="already on the team"):
        team_member_add(
            project=running["project"],
            user=running["marc"],
            organization=running["coop"],
            by=running["clara"],
        )
    assert snapshot() == before


def test_team_changes_need_a_coordinator(running):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        team_member_add(
            project=running["project"],
            user=running["marc"],
            organization=running["coop"],
            by=running["bea"],
        )
    assert snapshot() == before


def test_end_date_before_start_date():
    clara = UserFactory()
    lead = approved_organization(admin=clara)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        project_propose(
            user=clara,
            lead_organization=lead,
            title="Backwards",
            start_date="2026-05-01",
            end_date="2026-04-01",
        )
    assert "end date cannot be before the start date" in str(error.value)
    assert snapshot() == before


def test_lead_organization_the_user_does_not_administer(running):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="organization you administer"):
        project_propose(user=running["pau"], lead_organization=running["coop"], title="Not mine")
    # A plain member of the organization may not either.
    with pytest.raises(PermissionDenied, match="organization you administer"):
        project_propose(user=running["marc"], lead_organization=running["coop"], title="Nope")
    assert snapshot() == before


def test_lead_organization_not_yet_approved():
    from partners.services import organization_apply

    clara = UserFactory()
    draft_org = organization_apply(user=clara, title="Not yet approved")
    before = snapshot()
    with pytest.raises(ValidationError, match="must be approved"):
        project_propose(user=clara, lead_organization=draft_org, title="Too early")
    assert snapshot() == before


def test_invitations_wait_for_the_review(running):
    clara = running["clara"]
    draft = project_propose(user=clara, lead_organization=running["lead"], title="Draft")
    before = snapshot()
    with pytest.raises(ValidationError, match="must be approved"):
        participation_invite(project=draft, organization=running["ngo"], user=fresh(clara))
    assert snapshot() == before


def test_closed_projects_take_no_new_partners(running):
    project = running["project"]
    project.status = ProjectPage.Status.COMPLETED
    project.save_revision().publish()
    before = snapshot()
    with pytest.raises(ValidationError, match="closed to new partners"):
        participation_request(project=project, organization=running["ngo"], user=running["pau"])
    assert snapshot() == before


def test_request_message_too_long(running):
    before = snapshot()
    with pytest.raises(ValidationError, match="1,000 characters"):
        participation_request(
            project=running["project"],
            organization=running["ngo"],
            user=running["pau"],
            message="x" * 1001,
        )
    assert snapshot() == before


def test_request_for_an_organization_one_does_not_administer(running):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        participation_request(
            project=running["project"], organization=running["ngo"], user=running["marc"]
        )
    assert snapshot() == before


def test_last_coordinator_stays(running):
    project, clara = running["project"], running["clara"]
    before = snapshot()
    with pytest.raises(ValidationError, match="at least one coordinator"):
        team_member_remove(project=project, user=clara, by=clara)
    with pytest.raises(ValidationError, match="at least one coordinator"):
        team_set_coordinator(project=project, user=clara, is_coordinator=False, by=clara)
    assert snapshot() == before


def test_declined_organization_can_be_invited_again(running):
    invitation = participation_invite(
        project=running["project"], organization=running["ngo"], user=running["clara"]
    )
    participation_decline(participation=invitation, user=running["pau"])
    again = participation_invite(
        project=running["project"], organization=running["ngo"], user=running["clara"]
    )
    assert again.pk == invitation.pk
    assert again.status == "invited"
