"""The audit trail: every change of who may do what is in Wagtail's log, for editors in the
admin and for an organization's admins in the portal (their organization only)."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from partners.models import Invitation, Membership
from partners.selectors import ACTIVITY_PAGE_SIZE, invitation_token
from partners.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_add,
    membership_change_role,
    membership_leave,
    membership_remove,
    organization_apply,
    organization_approve,
    organization_reject,
)
from projects.models import Participation
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
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project, editor

pytestmark = pytest.mark.django_db


def entries(page, action=None):
    qs = PageLogEntry.objects.filter(page_id=page.pk).order_by("pk")
    return list(qs.filter(action=action) if action else qs)


def last(page, action):
    found = entries(page, action)
    assert found, f"no {action} entry on {page}"
    return found[-1]


# --- What is recorded ------------------------------------------------------------------------


def test_membership_changes_are_recorded_on_the_organization():
    admin, person = UserFactory(), UserFactory(first_name="Marta", last_name="Puig")
    organization = approved_organization(admin=admin)
    membership = membership_add(organization=organization, user=person, by=admin)
    add = last(organization, "partners.membership.add")
    assert add.user_id == admin.pk
    assert add.data["person"] == {"id": person.pk, "name": "Marta Puig"}
    assert add.data["organization"] == organization.pk
    assert add.message == "Marta Puig joined as member"

    membership_change_role(membership=membership, role="admin", user=admin)
    role = last(organization, "partners.membership.role")
    assert (role.data["role"], role.data["old_role"]) == ("admin", "member")
    assert role.message == "Marta Puig is now admin (was member)"

    membership_remove(membership=Membership.objects.get(pk=membership.pk), user=admin)
    removal = last(organization, "partners.membership.remove")
    assert (removal.user_id, removal.data["person"]["id"]) == (admin.pk, person.pk)

    membership_add(organization=organization, user=person, by=admin)
    membership_leave(organization=organization, user=person)
    leave = last(organization, "partners.membership.leave")
    assert leave.user_id == person.pk
    assert leave.message == "Marta Puig left"


def test_invitations_are_recorded_when_sent_withdrawn_and_accepted():
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    first = invitation_create(
        organization=organization, email="Anna@Example.org", invited_by=admin
    )
    invitation_revoke(invitation=first, user=admin)
    assert last(organization, "partners.invitation.create").data["email"] == "anna@example.org"
    assert last(organization, "partners.invitation.revoke").message == (
        "The invitation to anna@example.org was withdrawn"
    )
    second = invitation_create(
        organization=organization, email="anna@example.org", role="admin", invited_by=admin
    )
    anna = UserFactory(email="anna@example.org")
    invitation_accept(token=invitation_token(second), user=anna)
    accepted = last(organization, "partners.invitation.accept")
    assert (accepted.user_id, accepted.data["invitation"], accepted.data["role"]) == (
        anna.pk,
        second.pk,
        "admin",
    )
    # Joining is one entry, not also a plain "joined".
    assert not [
        e
        for e in entries(organization, "partners.membership.add")
        if e.data["person"]["id"] == anna.pk
    ]


def test_a_refused_change_records_nothing():
    admin, outsider = UserFactory(), UserFactory()
    organization = approved_organization(admin=admin)
    before = PageLogEntry.objects.count()
    membership = Membership.objects.get(organization=organization, user=admin)
    with pytest.raises(Exception):  # noqa: B017 - the last admin cannot be demoted
        membership_change_role(membership=membership, role="member", user=admin)
    with pytest.raises(Exception):  # noqa: B017 - not an admin
        invitation_create(organization=organization, email="x@example.org", invited_by=outsider)
    assert PageLogEntry.objects.count() == before


def test_organization_approval_and_rejection_are_wagtail_workflow_entries():
    reviewer = editor()
    rejected = organization_apply(user=UserFactory(), title="Needs work")
    organization_reject(organization=rejected, user=reviewer, comment="Add a summary")
    reject = last(rejected, "wagtail.workflow.reject")
    assert reject.user_id == reviewer.pk
    assert reject.comment == "Add a summary"

    approved = organization_apply(user=UserFactory(), title="Fine as it is")
    organization_approve(organization=approved, user=reviewer)
    assert last(approved, "wagtail.workflow.approve").user_id == reviewer.pk
    assert last(approved, "wagtail.publish")


def test_project_approval_and_rejection_are_wagtail_workflow_entries():
    admin = UserFactory()
    lead = approved_organization(admin=admin)
    reviewer = editor()
    first = project_propose(user=admin, lead_organization=lead, title="First")
    project_reject(project=first, user=reviewer, comment="Too vague")
    assert last(first, "wagtail.workflow.reject").comment == "Too vague"
    second = project_propose(user=admin, lead_organization=lead, title="Second")
    project_approve(project=second, user=reviewer)
    assert last(second, "wagtail.workflow.approve").user_id == reviewer.pk
    lead_entry = last(second, "projects.participation.lead")
    assert lead_entry.data["organization"] == lead.pk
    coordinator = last(second, "projects.team.add")
    assert (coordinator.data["person"]["id"], coordinator.data["role"]) == (
        admin.pk,
        "coordinator",
    )


def test_participation_and_team_changes_are_recorded_on_the_project_with_the_organization():
    coordinator, partner_admin = UserFactory(), UserFactory()
    project = approved_project(coordinator=coordinator)
    partner = approved_organization(admin=partner_admin, title="Partner org")
    lead_id = project.lead_organization_id

    invited = participation_invite(project=project, organization=partner, user=coordinator)
    participation_decline(participation=invited, user=partner_admin)
    participation_request(project=project, organization=partner, user=partner_admin)
    requested = Participation.objects.get(project=project, organization=partner)
    participation_accept(participation=requested, user=coordinator)
    worker = UserFactory(first_name="Pau", last_name="Vila")
    membership_add(organization=partner, user=worker, by=partner_admin)
    team_member_add(project=project, user=worker, organization=partner, by=coordinator)
    team_set_coordinator(project=project, user=worker, is_coordinator=True, by=coordinator)
    team_member_remove(project=project, user=worker, by=coordinator)
    team_member_add(project=project, user=worker, organization=partner, by=coordinator)
    participation_leave(participation=requested, user=partner_admin)

    about_partner = [e for e in entries(project) if e.data.get("organization") == partner.pk]
    assert [e.action for e in about_partner] == [
        "projects.participation.invite",
        "projects.participation.decline",
        "projects.participation.request",
        "projects.participation.accept",
        "projects.team.add",
        "projects.team.role",
        "projects.team.remove",
        "projects.team.add",
        "projects.participation.leave",
        "projects.team.remove",  # leaving takes the organization's people off the team
    ]
    actors = [e.user_id for e in about_partner]
    assert actors[:4] == [coordinator.pk, partner_admin.pk, partner_admin.pk, coordinator.pk]
    assert actors[-2:] == [partner_admin.pk, partner_admin.pk]
    assert about_partner[5].message == (
        "Pau Vila of Partner org is now coordinator (was team member)"
    )
    assert all(e.data.get("organization") != lead_id for e in about_partner)

    # A coordinator takes a partner off the project.
    again = participation_invite(project=project, organization=partner, user=coordinator)
    participation_accept(participation=again, user=partner_admin)
    participation_remove(participation=again, user=coordinator)
    removal = last(project, "projects.participation.remove")
    assert (removal.user_id, removal.data["organization"]) == (coordinator.pk, partner.pk)


def test_repairs_of_drifted_permissions_are_recorded():
    """The permission sync's repairs are grants and revocations too."""
    from partners.permissions import group_name, permissions_sync
    from projects.permissions import project_groups, project_permissions_sync

    coordinator, person = UserFactory(), UserFactory()
    project = approved_project(coordinator=coordinator)
    organization = project.lead_organization
    from django.contrib.auth.models import Group

    Group.objects.get(name=group_name(organization.pk, "admin")).user_set.remove(coordinator)
    Group.objects.get(name=group_name(organization.pk, "member")).user_set.add(person)
    team, _coordinators = project_groups(project)
    team.user_set.remove(coordinator)
    before = PageLogEntry.objects.count()
    assert permissions_sync(fix=False) and project_permissions_sync(project, fix=False)
    assert PageLogEntry.objects.count() == before  # reporting changes nothing
    permissions_sync(fix=True)
    project_permissions_sync(project, fix=True)
    repair = last(organization, "partners.permissions.repair")
    assert f"user {coordinator.pk} is missing" in repair.data["detail"]
    assert f"user {person.pk} should not be in" in repair.message
    assert (
        f"user {coordinator.pk} missing from"
        in last(project, "projects.permissions.repair").data["detail"]
    )


# --- Who sees it -----------------------------------------------------------------------------


@pytest.fixture
def two_organizations():
    admin, other_admin, member = UserFactory(), UserFactory(), UserFactory()
    organization = approved_organization(admin=admin, title="Ours")
    membership_add(organization=organization, user=member, by=admin)
    other = approved_organization(admin=other_admin, title="Theirs")
    invitation_create(organization=other, email="secret@example.org", invited_by=other_admin)
    return organization, admin, member, other, other_admin


def activity_url(organization):
    return reverse("portal:organization_activity", args=[organization.pk])


def test_admin_reads_their_organizations_activity_permitted(client, two_organizations):
    organization, admin, member, _other, _other_admin = two_organizations
    invitation_create(organization=organization, email="new@example.org", invited_by=admin)
    client.force_login(admin)
    response = client.get(activity_url(organization))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Invitation sent to new@example.org, as member" in html
    assert f"{member.get_full_name()} joined as member" in html
    assert "Workflow: approve" not in html and "Approved at" in html  # the review, in words
    assert "secret@example.org" not in html  # nothing of another organization
    assert (
        reverse("portal:organization_activity", args=[organization.pk])
        in client.get(
            reverse("portal:organization_manage", args=[organization.pk])
        ).content.decode()
    )


def test_activity_shows_the_organizations_project_partnerships(client, two_organizations):
    organization, admin, _member, other, other_admin = two_organizations
    project = approved_project(coordinator=other_admin, lead=other, title="Shared project")
    participation_invite(project=project, organization=organization, user=other_admin)
    client.force_login(admin)
    html = client.get(activity_url(organization)).content.decode()
    assert "Shared project" in html and "Ours was invited to join the project" in html
    # ... and the other organization's admins see it too, on their side only if about them.
    client.force_login(other_admin)
    theirs = client.get(activity_url(other)).content.decode()
    assert "Ours was invited" not in theirs
    assert "Theirs leads the project" in theirs


@pytest.mark.parametrize("who", ["member", "other_admin", "editor", "no_org"])
def test_activity_denied_to_anyone_but_its_admins(client, two_organizations, who):
    organization, _admin, member, _other, other_admin = two_organizations
    person = {
        "member": member,
        "other_admin": other_admin,
        "editor": editor(),
        "no_org": UserFactory(),
    }[who]
    client.force_login(person)
    assert client.get(activity_url(organization)).status_code == 403


def test_activity_of_a_draft_is_not_found_for_outsiders(client):
    draft = organization_apply(user=UserFactory(), title="Still a draft")
    client.force_login(UserFactory())
    assert client.get(activity_url(draft)).status_code == 404


def test_activity_asks_anonymous_visitors_to_sign_in(client, two_organizations):
    response = client.get(activity_url(two_organizations[0]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


ACTIVITY_QUERIES = 11  # measured: 9, for 3 entries and for 120


@pytest.mark.parametrize("extra", [3, 60])
def test_activity_page_costs_the_same_queries_for_few_and_many_entries(
    client, django_assert_max_num_queries, extra
):
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    for n in range(extra):
        invitation_create(organization=organization, email=f"p{n}@example.org", invited_by=admin)
        membership_add(organization=organization, user=UserFactory(), by=admin)
    client.force_login(admin)
    client.get(activity_url(organization))  # warms caches (content types, site)
    with django_assert_max_num_queries(ACTIVITY_QUERIES):
        response = client.get(activity_url(organization))
    assert response.status_code == 200
    shown = response.content.decode().count("<tr>") - 1
    assert shown == min(ACTIVITY_PAGE_SIZE, len(entries(organization)))
    if extra > ACTIVITY_PAGE_SIZE:
        second = client.get(activity_url(organization), {"page": 2})
        assert "Invitation sent to p" in second.content.decode()


def test_editors_read_the_trail_in_wagtails_site_history(client, two_organizations):
    organization, admin, member, _other, _other_admin = two_organizations
    client.force_login(editor())
    response = client.get("/admin/reports/site-history/", {"action": "partners.membership.add"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{member.get_full_name()} joined as member" in html
    assert "Membership: join" in html  # the action is offered as a filter


# --- Privacy ---------------------------------------------------------------------------------


def test_deleting_an_account_keeps_the_entries_without_the_persons_name(client):
    from privacy.services import account_delete

    admin = UserFactory()
    organization = approved_organization(admin=admin)
    person = UserFactory(first_name="Nuria", last_name="Soler", email="nuria@example.org")
    invitation = invitation_create(
        organization=organization, email="nuria@example.org", invited_by=admin
    )
    invitation_accept(token=invitation_token(invitation), user=person)
    before = len(entries(organization))
    account_delete(user=person)
    after = entries(organization)
    assert len(after) == before + 1  # leaving, on the way out
    text = " ".join(str(e.data) + e.message for e in after)
    assert "Nuria" not in text and "nuria@example.org" not in text
    assert not Invitation.objects.filter(email="nuria@example.org").exists()
    client.force_login(admin)
    html = client.get(activity_url(organization)).content.decode()
    assert "former member" in html and "Nuria" not in html
