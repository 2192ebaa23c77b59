"""How the CRM plugs into the audit trail and the personal-data registry."""

from wagtail import hooks

from core.audit import register_actions
from core.personal_data import PersonalData

from . import audit, selectors, services
from .models import CrmRole


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions, audit.ACTIONS, roles=CrmRole.Role)


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="contacts",
        models=(
            "crm.CrmRole",
            "crm.Contact",
            "crm.Consent",
            "crm.Interaction",
            "crm.ContactImport",
            "crm.ContactBookUserObjectPermission",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
        order=50,
    )
