"""What the audit trail says about training programmes (see ``core.audit``).

Entries go on the programme's project page. They name learners by their pseudonymous code only.
"""

from django.utils.translation import gettext_lazy as _

from .models import StaffMember

PROGRAMME_CREATE = "training.programme.create"
STAFF_ADD = "training.staff.add"
STAFF_END = "training.staff.end"
LEARNER_REGISTER = "training.learner.register"
LEARNER_UPDATE = "training.learner.update"
LEARNER_ERASE = "training.learner.erase"
SESSION_UPDATE = "training.session.update"
ENROLMENT_STATUS = "training.enrolment.status"
CERTIFICATE_ISSUE = "training.certificate.issue"
OUTCOMES_ACCEPT = "training.outcomes.accept"

ACTIONS = {
    PROGRAMME_CREATE: (_("Training: new programme"), _("Training programme started: %(detail)s")),
    STAFF_ADD: (_("Training: staff"), _("%(person)s works in the programme as %(role)s")),
    STAFF_END: (_("Training: staff leaves"), _("%(person)s no longer works in the programme")),
    LEARNER_REGISTER: (_("Training: learner"), _("Learner registered: %(detail)s")),
    LEARNER_UPDATE: (_("Training: learner changed"), _("Learner's details changed: %(detail)s")),
    SESSION_UPDATE: (_("Training: session changed"), _("Session changed: %(detail)s")),
    LEARNER_ERASE: (_("Training: learner erased"), _("Learner's data erased: %(detail)s")),
    ENROLMENT_STATUS: (_("Training: enrolment"), _("Enrolment changed: %(detail)s")),
    CERTIFICATE_ISSUE: (_("Training: certificate"), _("Certificate issued: %(detail)s")),
    OUTCOMES_ACCEPT: (_("Training: outcomes"), _("Cohort outcomes accepted: %(detail)s")),
}
ROLES = StaffMember.Role
