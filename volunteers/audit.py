"""The audit trail of volunteer hours, on the project's page log (``core.audit``)."""

from django.utils.translation import gettext_lazy as _

VERIFIED = "volunteers.hours_verify"
REJECTED = "volunteers.hours_reject"

ACTIONS = {
    VERIFIED: (_("Verified volunteer hours"), _("%(hours)s h of %(person)s verified")),
    REJECTED: (_("Rejected volunteer hours"), _("%(hours)s h of %(person)s rejected")),
}
