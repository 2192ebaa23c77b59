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

# Calls for social entrepreneurship and their ventures (``calls.call_audit``): on the page of
# the organization that opened the call, or on the call itself for a call the editors opened.
# ``detail`` is the call's title; ``person`` the applicant, reviewer or mentor concerned.
CALL_OPEN = "volunteers.call.open"
CALL_FORM = "volunteers.call.form"
CALL_APPLY = "volunteers.call.apply"
CALL_WITHDRAW = "volunteers.call.withdraw"
CALL_REVIEWER = "volunteers.call.reviewer"
CALL_REVIEW = "volunteers.call.review"
CALL_DECIDE = "volunteers.call.decide"
VENTURE_MENTOR_ADD = "volunteers.venture.mentor_add"
VENTURE_MENTOR_REMOVE = "volunteers.venture.mentor_remove"
VENTURE_MILESTONE_ADD = "volunteers.venture.milestone_add"
VENTURE_CHECKIN_ADD = "volunteers.venture.checkin_add"
VENTURE_CHECKIN_DELETE = "volunteers.venture.checkin_delete"
VENTURE_MILESTONE_MARK = "volunteers.venture.milestone_mark"

CALL_ACTIONS = {
    CALL_OPEN: (_("Call: open"), _("Call for social entrepreneurship opened: “%(detail)s”")),
    CALL_FORM: (_("Call: form changed"), _("Form or rubric of the call “%(detail)s” changed")),
    CALL_APPLY: (_("Call: application"), _("%(person)s applied to the call “%(detail)s”")),
    CALL_WITHDRAW: (
        _("Call: application withdrawn"),
        _("%(person)s withdrew their application to the call “%(detail)s”"),
    ),
    CALL_REVIEWER: (
        _("Call: reviewer assigned"),
        _("%(person)s reviews an application to the call “%(detail)s”"),
    ),
    CALL_REVIEW: (
        _("Call: review submitted"),
        _("%(person)s scored an application to the call “%(detail)s”"),
    ),
    VENTURE_MENTOR_ADD: (
        _("Venture: mentor assigned"),
        _("%(person)s mentors a venture of the call “%(detail)s”"),
    ),
    VENTURE_MENTOR_REMOVE: (
        _("Venture: mentor removed"),
        _("%(person)s no longer mentors a venture of the call “%(detail)s”"),
    ),
    VENTURE_MILESTONE_ADD: (
        _("Venture: milestone"),
        _("Milestone set for the venture of %(person)s in “%(detail)s”"),
    ),
    VENTURE_CHECKIN_ADD: (
        _("Venture: check-in"),
        _("%(person)s recorded a check-in with a venture of “%(detail)s”"),
    ),
    VENTURE_CHECKIN_DELETE: (
        _("Venture: check-in removed"),
        _("%(person)s removed a check-in with a venture of “%(detail)s”"),
    ),
}

# ``role`` is the application's new status (its label comes from the status choices).
CALL_DECISION_ACTIONS = {
    CALL_DECIDE: (
        _("Call: decision"),
        _("Application of %(person)s to the call “%(detail)s”: %(role)s"),
    ),
}

# ``role`` is ``done`` or ``open``.
MILESTONE_ACTIONS = {
    VENTURE_MILESTONE_MARK: (
        _("Venture: milestone marked"),
        _("Milestone of the venture of %(person)s in “%(detail)s” marked %(role)s"),
    ),
}
MILESTONE_STATES = {"done": _("Done"), "open": _("Not done")}
