"""The audit trail of volunteer hours and applications, on the project's page log
(``core.audit``: messages are filled from ``person``, ``role`` and ``detail``)."""

from django.utils.translation import gettext_lazy as _

VERIFIED = "volunteers.hours_verify"
REJECTED = "volunteers.hours_reject"
APPLICATION_DECIDED = "volunteers.application_decide"
AGREEMENT_ACCEPTED = "volunteers.agreement_accept"

ACTIONS = {
    VERIFIED: (_("Verified volunteer hours"), _("%(detail)s h of %(person)s verified")),
    REJECTED: (_("Rejected volunteer hours"), _("%(detail)s h of %(person)s rejected")),
}

# ``role`` is the application's new status here (its label comes from the status choices).
APPLICATION_ACTIONS = {
    APPLICATION_DECIDED: (
        _("Decided a volunteer application"),
        _("Application of %(person)s to “%(detail)s”: %(role)s"),
    ),
    AGREEMENT_ACCEPTED: (
        _("Volunteer agreement accepted"),
        _("%(person)s accepted the volunteer agreement of “%(detail)s”"),
    ),
}
