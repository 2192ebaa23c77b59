"""What the kernel registers: the personal data held in the audit trail and in Wagtail's tables.

Registered here rather than by a feature app because the audit trail (``core.audit``) and the
pages' revisions, reviews and uploads are shared by every app that has pages.
"""

from wagtail import hooks

from .audit import audit_personal_data, audit_personal_data_forget
from .authorship import MODELS as AUTHORSHIP_MODELS
from .authorship import authorship_personal_data
from .personal_data import HOOK, PersonalData


@hooks.register(HOOK)
def audit_trail_personal_data():
    # Last: the apps' own forgets write entries ("left the organization") that must lose the
    # name too.
    return PersonalData(
        section="audit_entries",
        export=audit_personal_data,
        forget=audit_personal_data_forget,
        also_covers=("wagtailcore.PageLogEntry", "wagtailcore.ModelLogEntry", "admin.LogEntry"),
        order=900,
    )


@hooks.register(HOOK)
def authorship_personal_data_registration():
    return PersonalData(
        section="authorship", export=authorship_personal_data, also_covers=AUTHORSHIP_MODELS
    )
