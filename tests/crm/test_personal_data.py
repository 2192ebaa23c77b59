"""The CRM's part of a person's data export and account deletion."""

import pytest

from core.personal_data import ForgetContext
from crm import selectors, services
from crm.models import Contact, CrmRole

pytestmark = pytest.mark.django_db


def test_export_lists_roles_and_contacts_linked_to_the_account(crm):
    services.contact_update(contact=crm.contact, name="Anna Puig")
    Contact.objects.filter(pk=crm.contact.pk).update(user=crm.viewer)
    data = selectors.personal_data(crm.viewer)
    assert data["roles"][0]["role"] == "viewer"
    assert data["contacts"][0]["emails"] == ["anna@example.org"]


def test_forget_removes_roles_and_unlinks_contacts(crm):
    Contact.objects.filter(pk=crm.contact.pk).update(user=crm.viewer)
    services.personal_data_forget(
        crm.viewer, ForgetContext(user=crm.viewer, emails=frozenset(), former="former member")
    )
    assert not CrmRole.objects.filter(user=crm.viewer).exists()
    assert not crm.viewer.groups.filter(name__startswith="crm-").exists()
    crm.contact.refresh_from_db()
    assert crm.contact.user is None
