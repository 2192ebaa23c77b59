"""What the audit trail says about an organization's people (see ``core.audit``).

Every entry is on the organization's PartnerPage; ``partners.services`` records them, one
place per change.
"""

from django.utils.translation import gettext_lazy as _

MEMBERSHIP_ADD = "partners.membership.add"
MEMBERSHIP_ROLE = "partners.membership.role"
MEMBERSHIP_REMOVE = "partners.membership.remove"
MEMBERSHIP_LEAVE = "partners.membership.leave"
INVITATION_CREATE = "partners.invitation.create"
INVITATION_REVOKE = "partners.invitation.revoke"
INVITATION_ACCEPT = "partners.invitation.accept"
INVITATION_DECLINE = "partners.invitation.decline"
PERMISSIONS_REPAIR = "partners.permissions.repair"

ACTIONS = {
    MEMBERSHIP_ADD: (_("Membership: join"), _("%(person)s joined as %(role)s")),
    MEMBERSHIP_ROLE: (
        _("Membership: role change"),
        _("%(person)s is now %(role)s (was %(old_role)s)"),
    ),
    MEMBERSHIP_REMOVE: (_("Membership: removal"), _("%(person)s was removed")),
    MEMBERSHIP_LEAVE: (_("Membership: leave"), _("%(person)s left")),
    INVITATION_CREATE: (_("Invitation: send"), _("Invitation sent to %(email)s, as %(role)s")),
    INVITATION_REVOKE: (
        _("Invitation: withdraw"),
        _("The invitation to %(email)s was withdrawn"),
    ),
    INVITATION_ACCEPT: (
        _("Invitation: accept"),
        _("%(person)s accepted the invitation and joined as %(role)s"),
    ),
    INVITATION_DECLINE: (
        _("Invitation: decline"),
        _("The invitation to %(email)s was declined"),
    ),
    PERMISSIONS_REPAIR: (
        _("Permissions: repair"),
        _("Permissions repaired to match the memberships: %(detail)s"),
    ),
}
