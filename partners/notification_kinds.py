"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

ORGANIZATION_APPROVED = "partners.organization_approved"
ORGANIZATION_CHANGES_REQUESTED = "partners.organization_changes_requested"
INVITATION_ACCEPTED = "partners.invitation_accepted"
INVITATION_DECLINED = "partners.invitation_declined"

LABELS = {
    ORGANIZATION_APPROVED: _("Organization approved"),
    ORGANIZATION_CHANGES_REQUESTED: _("Changes requested"),
    INVITATION_ACCEPTED: _("Invitation accepted"),
    INVITATION_DECLINED: _("Invitation declined"),
}
