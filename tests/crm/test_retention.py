"""Anonymising several contacts of the retention list at once: chosen, confirmed, one audit
entry with the count; only contacts still on the list, only by a CRM editor."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from crm import services
from crm.models import Consent, Contact

pytestmark = pytest.mark.django_db


def _old(crm, name):
    contact = services.contact_create(book=crm.book, name=name, emails=[f"{name}@example.org"])
    Contact.objects.filter(pk=contact.pk).update(
        created_at=timezone.now() - timedelta(days=365 * 4)
    )
    services.consent_record(
        contact=contact, purpose="newsletter", channel="email", status="granted"
    )
    return contact


def test_chosen_contacts_are_anonymised_after_confirming_with_one_audit_entry(client, crm):
    first, second, kept = _old(crm, "first"), _old(crm, "second"), _old(crm, "kept")
    recent = services.contact_create(book=crm.book, name="Recent")
    url = reverse("portal:crm_retention_anonymise", args=[crm.org.pk])
    client.force_login(crm.crm_editor)
    listing = client.get(reverse("portal:crm_retention", args=[crm.org.pk])).content.decode()
    assert 'name="contact"' in listing and "first" in listing
    ids = [first.pk, second.pk, recent.pk]
    confirm = client.get(url, {"contact": ids})
    assert confirm.status_code == 200
    assert "Anonymise 2 contacts?" in confirm.content.decode()  # the recent one is not listed
    assert not Contact.objects.filter(anonymised_at__isnull=False).exists()
    response = client.post(url, {"contact": ",".join(str(i) for i in ids)})
    assert response.status_code == 302
    done = set(Contact.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    assert done == {first.pk, second.pk}
    assert Contact.objects.get(pk=first.pk).emails.count() == 0
    assert Consent.objects.filter(contact=first).count() == 1  # the ledger stays
    entries = PageLogEntry.objects.filter(page=crm.org, action="crm.anonymise.bulk")
    assert [(e.user, e.data["count"]) for e in entries] == [(crm.crm_editor, 2)]
    assert Contact.objects.get(pk=kept.pk).anonymised_at is None


def test_only_a_crm_editor_may_and_nothing_chosen_changes_nothing(client, crm):
    old = _old(crm, "old")
    url = reverse("portal:crm_retention_anonymise", args=[crm.org.pk])
    for user in (crm.viewer, crm.plain, crm.other_admin, crm.admin, crm.editor, crm.superuser):
        client.force_login(user)
        assert client.get(url, {"contact": [old.pk]}).status_code == 403
        assert client.post(url, {"contact": str(old.pk)}).status_code == 403
    client.logout()
    assert client.post(url, {"contact": str(old.pk)}).status_code == 302
    client.force_login(crm.crm_editor)
    assert client.post(url, {"contact": "x"}).status_code == 302
    old.refresh_from_db()
    assert old.anonymised_at is None
    # Another organization's contact is never touched.
    other = services.contact_create(book=services.book_get_or_create(crm.other), name="Theirs")
    Contact.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=2000))
    client.post(url, {"contact": str(other.pk)})
    other.refresh_from_db()
    assert other.anonymised_at is None
