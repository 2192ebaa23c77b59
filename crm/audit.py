"""What the audit trail says about the CRM (see ``core.audit``). Entries go on the
organization's page and never name a contact: only counts and ids."""

from django.utils.translation import gettext_lazy as _

ROLE_SET = "crm.role.set"
ROLE_REMOVE = "crm.role.remove"
EXPORT = "crm.export"
IMPORT = "crm.import"
MERGE = "crm.merge"
ANONYMISE = "crm.anonymise"
ANONYMISE_BULK = "crm.anonymise.bulk"

ACTIONS = {
    ROLE_SET: (_("Contacts: role"), _("%(person)s is now CRM %(role)s")),
    ROLE_REMOVE: (_("Contacts: role removed"), _("%(person)s no longer has a CRM role")),
    EXPORT: (_("Contacts: export"), _("Contacts exported: %(detail)s")),
    IMPORT: (_("Contacts: import"), _("Contacts imported: %(detail)s")),
    MERGE: (_("Contacts: merge"), _("Contacts merged: %(detail)s")),
    ANONYMISE: (_("Contacts: anonymise"), _("Contact anonymised: %(detail)s")),
    ANONYMISE_BULK: (
        _("Contacts: anonymise from the retention list"),
        _("Contacts anonymised from the retention list: %(detail)s"),
    ),
}
