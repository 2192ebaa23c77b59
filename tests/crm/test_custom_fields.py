"""An organization's own contact fields (text, number, date, one of a list): defined by a CRM
editor, shown and edited on the contact, filled by an import, exported only when chosen."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry

from crm import imports, services
from crm.models import Contact, CustomField

pytestmark = pytest.mark.django_db


def _fields(crm):
    return {
        "member_no": services.custom_field_create(book=crm.book, name="Member no", kind="number"),
        "joined": services.custom_field_create(book=crm.book, name="Joined", kind="date"),
        "size": services.custom_field_create(
            book=crm.book, name="T-shirt", kind="choice", choices=["S", "M", "L"]
        ),
        "health": services.custom_field_create(
            book=crm.book, name="Allergies", kind="text", sensitive=True
        ),
    }


def test_an_editor_defines_fields_and_a_viewer_only_sees_them(client, crm):
    url = reverse("portal:crm_custom_fields", args=[crm.org.pk])
    client.force_login(crm.crm_editor)
    response = client.post(url, {"name": "T-shirt", "kind": "choice", "choices": "S\nM\n\nM"})
    assert response.status_code == 302
    assert CustomField.objects.get(book=crm.book).choices == ["S", "M"]
    response = client.post(url, {"name": "t-shirt", "kind": "text"})
    assert "already a custom field" in response.content.decode()
    response = client.post(url, {"name": "Size", "kind": "choice", "choices": ""})
    assert "at least one choice" in response.content.decode()
    client.force_login(crm.viewer)
    assert "T-shirt" in client.get(url).content.decode()
    assert client.post(url, {"name": "Other", "kind": "text"}).status_code == 403
    definition = CustomField.objects.get()
    assert client.post(url, {"delete": definition.pk}).status_code == 403
    for user in (crm.plain, crm.other_admin, crm.editor, crm.superuser):
        client.force_login(user)
        assert client.get(url).status_code == 403
    assert CustomField.objects.count() == 1


def test_values_are_typed_shown_and_edited_on_the_contact(client, crm):
    fields = _fields(crm)
    client.force_login(crm.crm_editor)
    edit = reverse("portal:crm_contact_edit", args=[crm.org.pk, crm.contact.pk])
    data = {"kind": "person", "name": "Anna Puig", "emails": "anna@example.org"}
    response = client.post(edit, {**data, f"cf{fields['member_no'].pk}": "not a number"})
    assert response.status_code == 200
    crm.contact.refresh_from_db()
    assert crm.contact.custom == {}
    response = client.post(
        edit,
        {
            **data,
            f"cf{fields['member_no'].pk}": "42",
            f"cf{fields['joined'].pk}": "2024-03-01",
            f"cf{fields['size'].pk}": "M",
        },
    )
    assert response.status_code == 302
    crm.contact.refresh_from_db()
    assert crm.contact.custom == {
        fields["member_no"].key: 42,
        fields["joined"].key: "2024-03-01",
        fields["size"].key: "M",
    }
    client.force_login(crm.viewer)
    page = client.get(reverse("portal:crm_contact_detail", args=[crm.org.pk, crm.contact.pk]))
    body = page.content.decode()
    assert "Member no" in body and "42" in body and "T-shirt" in body
    assert "Allergies" not in body  # no value, not shown


def test_a_choice_outside_the_list_is_refused(crm):
    fields = _fields(crm)
    with pytest.raises(ValidationError):
        services.contact_update(contact=crm.contact, custom={fields["size"].key: "XXL"})
    crm.contact.refresh_from_db()
    assert crm.contact.custom == {}


def test_removing_a_field_removes_its_values(client, crm):
    fields = _fields(crm)
    services.contact_update(contact=crm.contact, custom={fields["size"].key: "S"})
    client.force_login(crm.crm_editor)
    client.post(
        reverse("portal:crm_custom_fields", args=[crm.org.pk]), {"delete": fields["size"].pk}
    )
    crm.contact.refresh_from_db()
    assert crm.contact.custom == {}
    assert not CustomField.objects.filter(pk=fields["size"].pk).exists()


def test_an_import_fills_custom_fields_and_checks_them(client, crm):
    fields = _fields(crm)
    content = "Name,Member no,T-shirt\nMarta Ferrer,7,l\n"
    client.force_login(crm.crm_editor)
    client.post(
        reverse("portal:crm_import", args=[crm.org.pk]),
        {"file": SimpleUploadedFile("c.csv", content.encode())},
    )
    from crm.models import ContactImport

    contact_import = ContactImport.objects.get()
    assert contact_import.mapping == [
        "name",
        f"cf:{fields['member_no'].pk}",
        f"cf:{fields['size'].pk}",
    ]
    bad = SimpleUploadedFile("c.csv", b"Name,Member no\nJoan,seven\n")
    result = imports.process(crm.book, bad, ["name", f"cf:{fields['member_no'].pk}"])
    assert result.counts["error"] == 1 and "not a number" in str(result.bad_rows)
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    data = {f"col{i}": m for i, m in enumerate(contact_import.mapping)}
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import's background work
        assert client.post(url, {**data, "run": "1"}).status_code == 302
    marta = Contact.objects.get(name="Marta Ferrer")
    assert marta.custom == {fields["member_no"].key: 7, fields["size"].key: "L"}


def test_custom_and_sensitive_fields_are_exported_only_when_chosen(client, crm):
    fields = _fields(crm)
    services.contact_update(
        contact=crm.contact,
        address="Carrer Major 1",
        roles=["beneficiary"],
        custom={fields["health"].key: "peanuts", fields["size"].key: "S"},
    )
    services.consent_record(
        contact=crm.contact, purpose="newsletter", channel="email", status="granted"
    )
    client.force_login(crm.exporter)
    url = reverse("portal:crm_export", args=[crm.org.pk])
    form = client.get(url).content.decode()
    assert "Allergies (sensitive)" in form
    query = {"purpose": "newsletter", "channel": "email"}
    body = client.get(url, query).content.decode("utf-8-sig")
    assert "peanuts" not in body and "Carrer" not in body and "Beneficiary" not in body
    body = client.get(
        url, {**query, "extra": ["roles", f"cf{fields['health'].pk}"]}
    ).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["name", "kind", "language", "email", "phone", "roles", "Allergies"]
    assert rows[1][-2:] == ["Beneficiary", "peanuts"]
    entry = PageLogEntry.objects.filter(page=crm.org, action="crm.export").latest("pk")
    assert entry.data["detail"] == "1 (newsletter/email) + roles, Allergies"
