"""The audit trail of communities: memberships, roles and reviews (``core.audit``).

Communities are not pages, so their entries are Wagtail ``ModelLogEntry`` rows on the community;
item reviews are Wagtail's own workflow entries on the item's page.
"""

from django.utils.translation import gettext_lazy as _

from .models import CommunityMembership

JOINED = "knowledge.membership_join"
REQUESTED = "knowledge.membership_request"
APPROVED = "knowledge.membership_approve"
LEFT = "knowledge.membership_leave"
ROLE = "knowledge.membership_role"
ANSWER_ACCEPTED = "knowledge.answer_accept"
EDITED = "knowledge.community_edit"

ACTIONS = {
    JOINED: (_("Joined a community"), _("%(person)s joined as %(role)s")),
    REQUESTED: (_("Asked to join a community"), _("%(person)s asked to join")),
    APPROVED: (_("Accepted into a community"), _("%(person)s was accepted as %(role)s")),
    LEFT: (_("Left a community"), _("%(person)s left")),
    ROLE: (_("Changed a community role"), _("%(person)s is now %(role)s (was %(old_role)s)")),
    ANSWER_ACCEPTED: (_("Accepted an answer"), _("An answer by %(person)s was accepted")),
    EDITED: (_("Changed a community"), _("The charter, joining or vocabularies changed")),
}
ROLES = CommunityMembership.Role
