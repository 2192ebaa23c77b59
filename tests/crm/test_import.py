"""CSV import: the dry run lists what each row would do and every bad row, the import is all or
nothing, bad files are refused with a clear message; duplicates merge keeping both consent
histories."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import PageLogEntry

from crm import imports, selectors, services
from crm.models import Consent, Contact

pytestmark = pytest.mark.django_db

GOOD = (
    "First Name,Last Name,Email Address,Phone_Mobile,Tags,Preferred Language,Notes\n"
    'Marta,Ferrer,marta@example.org,600 123 456,"donors, 2026",ca,ignored\n'
    "Anna,Puig,ANNA@example.org,,volunteers,es,\n"
    "Joan,Ribas,,,,,\n"
)


def _upload(text, name="contacts.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding) if isinstance(text, str) else text)


def _post(client, crm, content, run=False):
    client.force_login(crm.crm_editor)
    data = {"file": _upload(content)}
    if run:
        data["run"] = "1"
    return client.post(reverse("portal:crm_import", args=[crm.org.pk]), data)


def test_dry_run_shows_what_would_happen_and_stores_nothing(client, crm):
    services.contact_create(book=crm.book, name="Joan Ribas")
    before = Contact.objects.count()
    response = _post(client, crm, GOOD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 contact to create" in body
    assert "1 contact to update" in body  # Anna by her e-mail
    assert "1 possible duplicate" in body  # Joan by his name
    assert "Notes" in body  # the ignored column is named
    assert Contact.objects.count() == before


def test_import_creates_updates_and_flags(client, crm):
    response = _post(client, crm, GOOD, run=True)
    assert response.status_code == 302
    marta = Contact.objects.get(book=crm.book, name="Marta Ferrer")
    assert list(marta.emails.values_list("email", flat=True)) == ["marta@example.org"]
    assert sorted(marta.tags.values_list("name", flat=True)) == ["2026", "donors"]
    assert marta.language == "ca"
    crm.contact.refresh_from_db()
    assert Contact.objects.filter(book=crm.book, name__startswith="Anna").count() == 1
    assert "volunteers" in crm.contact.tags.values_list("name", flat=True)
    assert PageLogEntry.objects.filter(page=crm.org, action="crm.import").exists()


def test_one_bad_row_and_nothing_is_imported(client, crm):
    bad = GOOD + ",,nobody@example.org,,,,\nZoe,Mas,not-an-email,,,,\n"
    before = Contact.objects.count()
    body = _post(client, crm, bad, run=True).content.decode()
    assert "no name" in body and "not-an-email" in body
    assert "nothing was imported" in body
    assert Contact.objects.count() == before


def test_same_email_twice_in_the_file_is_a_bad_row(crm):
    plan = imports.plan(crm.book, _upload("name,email\nA,x@example.org\nB,X@example.org\n"))
    assert [r.line for r in plan.errors] == [3]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Nom,Cognom\nMarta,Ferrer\n".encode("utf-16"), "not UTF-8"),
        ("Apellido;Ciudad\nFerrer;Vic\n", "no name column"),
        ("name,email\n" + "x" * (10 * 1024 * 1024) + ",a@example.org\n", "longer than"),
        ("", "empty"),
    ],
    ids=["encoding", "missing-columns", "10MB-cell", "empty"],
)
def test_bad_files_are_refused_with_a_clear_message(client, crm, content, message):
    before = Contact.objects.count()
    response = _post(client, crm, content, run=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Contact.objects.count() == before


def test_civicrm_and_sinergia_headers_and_semicolons(crm):
    plan = imports.plan(
        crm.book,
        _upload(
            "Display Name;Contact Type;Email;Phone\n"
            "Casal del Barri;Organization;casal@example.org;93 1\n"
        ),
    )
    assert [(r.action, r.values["kind"]) for r in plan.rows] == [("create", "organization")]


def test_import_then_merge_keeps_both_consent_histories(client, crm):
    services.consent_record(
        contact=crm.contact,
        purpose="newsletter",
        channel="email",
        status="granted",
        method="web form",
    )
    _post(client, crm, "name,email\nAnna Puig,anna.puig@work.example\n", run=True)
    twin = Contact.objects.get(book=crm.book, emails__email="anna.puig@work.example")
    services.consent_record(contact=twin, purpose="events", channel="phone", status="granted")
    services.consent_withdraw(contact=twin, purpose="events", channel="phone")
    groups = selectors.duplicate_groups(crm.book)
    assert [sorted(c.pk for c in g) for g in groups] == [sorted([crm.contact.pk, twin.pk])]
    client.force_login(crm.crm_editor)
    client.post(
        reverse("portal:crm_merge", args=[crm.org.pk]), {"keep": crm.contact.pk, "other": twin.pk}
    )
    assert not Contact.objects.filter(pk=twin.pk).exists()
    history = [
        (c.purpose, c.status) for c in Consent.objects.filter(contact=crm.contact).order_by("pk")
    ]
    assert history == [
        ("newsletter", "granted"),
        ("events", "granted"),
        ("events", "withdrawn"),
    ]
    assert sorted(crm.contact.emails.values_list("email", flat=True)) == [
        "anna.puig@work.example",
        "anna@example.org",
    ]
    assert selectors.duplicate_groups(crm.book) == []


def test_merge_moves_relationships_and_anonymising_drops_them(crm):
    twin = services.contact_create(book=crm.book, name="Anna Puig")
    family = services.contact_create(book=crm.book, name="Puig family")
    services.relationship_add(contact=twin, other=family, kind="household")
    services.relationship_add(contact=crm.contact, other=twin, kind="household")
    keep = services.contacts_merge(keep=crm.contact, other=twin)
    assert [(label, other.pk) for label, other in selectors.relationships(keep)] == [
        ("Same household", family.pk)
    ]
    services.contact_anonymise(contact=keep)
    assert selectors.relationships(family) == []
