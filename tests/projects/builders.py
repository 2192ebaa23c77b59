"""Project test data, built through the services as people would cause it."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from partners.models import Membership
from partners.services import membership_add
from projects.services import (
    participation_accept,
    participation_invite,
    project_approve,
    project_propose,
    team_add,
)
from tests.factories import UserFactory
from tests.utils import approved_organization


def reviewer():
    user = UserFactory(username="reviewer")
    user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return user


def published_project(coordinator, lead, title="Digital skills for young people", **fields):
    project = project_propose(user=coordinator, lead_organization=lead, title=title, **fields)
    return project_approve(project=project, user=reviewer())


def add_partner(project, organization, coordinator):
    """Invite ``organization`` and have its first admin accept."""
    participation = participation_invite(
        project=project, organization=organization, user=coordinator
    )
    admin = Membership.objects.filter(
        organization=organization, role=Membership.Role.ADMIN
    ).first()
    return participation_accept(participation=participation, user=admin.user)


@dataclass
class World:
    """Every role of the DESIGN matrix around one published project and one draft."""

    coordinator: object
    lead_admin: object  # admin of the lead organization, not on the team
    lead_member: object  # member of the lead organization, not on the team
    partner_admin: object  # admin of the active partner, not on the team
    partner_member: object  # member of the active partner, on the team
    other_admin: object  # admin of an organization that takes no part
    other_member: object
    no_org: object
    editor: object
    superuser: object
    lead: object
    partner: object
    other: object
    project: object
    draft: object


def build_world():
    coordinator = UserFactory(username="coordinator")
    lead = approved_organization(admin=coordinator, title="Lead Foundation")
    lead_admin = UserFactory(username="lead_admin")
    lead_member = UserFactory(username="lead_member")
    membership_add(organization=lead, user=lead_admin, role=Membership.Role.ADMIN)
    membership_add(organization=lead, user=lead_member)
    partner_admin = UserFactory(username="partner_admin")
    partner = approved_organization(admin=partner_admin, title="Partner Coop")
    partner_member = UserFactory(username="partner_member")
    membership_add(organization=partner, user=partner_member)
    other_admin = UserFactory(username="other_admin")
    other = approved_organization(admin=other_admin, title="Other NGO")
    other_member = UserFactory(username="other_member")
    membership_add(organization=other, user=other_member)
    project = published_project(coordinator, lead)
    add_partner(project, partner, coordinator)
    team_add(project=project, user=partner_member, organization=partner, added_by=coordinator)
    draft = project_propose(user=coordinator, lead_organization=lead, title="A draft project")
    editor = UserFactory(username="an_editor")
    editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    return World(
        coordinator=coordinator,
        lead_admin=lead_admin,
        lead_member=lead_member,
        partner_admin=partner_admin,
        partner_member=partner_member,
        other_admin=other_admin,
        other_member=other_member,
        no_org=UserFactory(username="no_org"),
        editor=editor,
        superuser=superuser,
        lead=lead,
        partner=partner,
        other=other,
        project=project,
        draft=draft,
    )


def quick_organization(admin, title, **fields):
    """An approved organization, published directly (no review workflow) to build fast."""
    from partners.services import organization_apply, organization_approve

    organization = organization_apply(user=admin, title=title, submit=False, **fields)
    return organization_approve(organization=organization, user=publisher())


def quick_project(coordinator, lead, title, **fields):
    """A published project, published directly (no review workflow) to build fast."""
    project = project_propose(
        user=coordinator, lead_organization=lead, title=title, submit=False, **fields
    )
    return project_approve(project=project, user=publisher())


def publisher():
    return UserFactory(username="publisher", is_superuser=True, is_staff=True)
