"""Every way a person stops being on a project's team ends their access the same way, at once.

A member removed from their organization, a member leaving it, and their organization leaving
the project: each takes them off the team of that organization's projects, so the workspace
answers 404, their open chat sockets close with 4403 within a second (CHAT_PROTOCOL.md,
"Guarantees"), and the project's audit trail says who left the team and why.
"""

import time

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry

from partners.models import Membership
from partners.services import membership_leave, membership_remove
from projects.models import Participation, TeamMembership
from projects.services import participation_leave
from tests.chat.helpers import close_code, join, next_of

pytestmark = pytest.mark.django_db(transaction=True)


def _partner_admin(team):
    return team.partner.memberships.filter(role="admin").order_by("pk").first().user


def _member_removed(team):
    membership = Membership.objects.get(organization=team.partner, user=team.member)
    membership_remove(membership=membership, user=_partner_admin(team))


def _member_leaves(team):
    membership_leave(organization=team.partner, user=team.member)


def _organization_leaves(team):
    participation = Participation.objects.get(project=team.project, organization=team.partner)
    participation_leave(participation=participation, user=_partner_admin(team))


# (how access ends, the audit action on the project, who the entry says acted)
ENDINGS = {
    "member removed": (_member_removed, "projects.team.membership_ended", _partner_admin),
    "member leaves": (_member_leaves, "projects.team.membership_ended", lambda team: team.member),
    "organization leaves": (_organization_leaves, "projects.team.remove", _partner_admin),
}


def _workspace_status(user, project):
    client = Client()
    client.force_login(user)
    return client.get(reverse("portal:project_workspace", args=[project.pk])).status_code


@pytest.mark.parametrize("ending", list(ENDINGS))
async def test_access_ends_at_once(team, cookies, ending):
    end, action, actor = ENDINGS[ending]
    assert await database_sync_to_async(_workspace_status)(team.member, team.project) == 200
    socket, _hello = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])

    await database_sync_to_async(end)(team)
    started = time.monotonic()

    assert (await next_of(socket, "error", timeout=1))["code"] == "forbidden"
    assert await close_code(socket, timeout=1) == 4403
    assert time.monotonic() - started < 1
    assert await database_sync_to_async(_workspace_status)(team.member, team.project) == 404

    def team_place_and_audit():
        place = TeamMembership.objects.filter(project=team.project, user=team.member).exists()
        entries = list(
            PageLogEntry.objects.filter(
                page_id=team.project.pk, action=action, data__person__id=team.member.pk
            )
        )
        return place, entries

    place, entries = await database_sync_to_async(team_place_and_audit)()
    assert not place
    assert len(entries) == 1
    entry = entries[0]
    assert entry.user_id == (await database_sync_to_async(actor)(team)).pk
    assert entry.data["organization"] == team.partner.pk
    assert team.partner.title in entry.formatter.format_message(entry)

    # The coordinator stays: only the people of that organization lost their place.
    await coordinator.send_json_to({"type": "sync", "after": 0})
    assert (await next_of(coordinator, "messages"))["type"] == "messages"
    await coordinator.disconnect()


async def test_access_is_kept_by_members_of_other_organizations(team, cookies):
    """The lead's coordinator is a member of another organization: the partner's member
    leaving takes nothing from them."""
    await database_sync_to_async(_member_leaves)(team)
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    assert await database_sync_to_async(_workspace_status)(team.coordinator, team.project) == 200
    assert await database_sync_to_async(
        TeamMembership.objects.filter(project=team.project, user=team.coordinator).exists
    )()
    await coordinator.disconnect()
