"""What the audit trail says about a project's partners and team (see ``core.audit``).

Every entry is on the project's ProjectPage and names the organization concerned in
``data["organization"]``, so the organization's admins see it in their organization's activity.
``projects.services`` records them, one place per change.
"""

from django.utils.translation import gettext_lazy as _

PARTICIPATION_LEAD = "projects.participation.lead"
PARTICIPATION_INVITE = "projects.participation.invite"
PARTICIPATION_REQUEST = "projects.participation.request"
PARTICIPATION_ACCEPT = "projects.participation.accept"
PARTICIPATION_DECLINE = "projects.participation.decline"
PARTICIPATION_LEAVE = "projects.participation.leave"
PARTICIPATION_REMOVE = "projects.participation.remove"
TEAM_ADD = "projects.team.add"
TEAM_ROLE = "projects.team.role"
TEAM_REMOVE = "projects.team.remove"
TEAM_MEMBERSHIP_ENDED = "projects.team.membership_ended"
PERMISSIONS_REPAIR = "projects.permissions.repair"

COORDINATOR, TEAM_MEMBER = "coordinator", "member"
TEAM_ROLES = {COORDINATOR: _("coordinator"), TEAM_MEMBER: _("team member")}

ACTIONS = {
    PARTICIPATION_LEAD: (_("Partnership: lead"), _("%(organization)s leads the project")),
    PARTICIPATION_INVITE: (
        _("Partnership: invitation"),
        _("%(organization)s was invited to join the project"),
    ),
    PARTICIPATION_REQUEST: (
        _("Partnership: request"),
        _("%(organization)s asked to join the project"),
    ),
    PARTICIPATION_ACCEPT: (
        _("Partnership: accept"),
        _("%(organization)s is now a partner of the project"),
    ),
    PARTICIPATION_DECLINE: (
        _("Partnership: decline"),
        _("%(organization)s did not join the project (declined)"),
    ),
    PARTICIPATION_LEAVE: (_("Partnership: leave"), _("%(organization)s left the project")),
    PARTICIPATION_REMOVE: (
        _("Partnership: removal"),
        _("%(organization)s was removed from the project"),
    ),
    TEAM_ADD: (
        _("Team: join"),
        _("%(person)s of %(organization)s joined the team as %(role)s"),
    ),
    TEAM_ROLE: (
        _("Team: role change"),
        _("%(person)s of %(organization)s is now %(role)s (was %(old_role)s)"),
    ),
    TEAM_REMOVE: (_("Team: leave"), _("%(person)s of %(organization)s left the team")),
    TEAM_MEMBERSHIP_ENDED: (
        _("Team: leave (membership ended)"),
        _("%(person)s left the team: no longer a member of %(organization)s"),
    ),
    PERMISSIONS_REPAIR: (
        _("Permissions: repair"),
        _("Permissions repaired to match the team: %(detail)s"),
    ),
}


def team_role(is_coordinator):
    return COORDINATOR if is_coordinator else TEAM_MEMBER
