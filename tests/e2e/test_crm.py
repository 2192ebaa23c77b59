"""Contacts in Chromium: a CSV import's preview, the import, then merging the duplicate it
flagged keeps both consent histories; the contact list fits a 360 px phone."""

import re

import pytest

from crm import services
from crm.models import Consent, Contact
from partners.services import membership_add
from tests.e2e.pages import sign_in
from tests.factories import UserFactory
from tests.utils import approved_organization

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    b"First Name,Last Name,Email Address,City\n"
    b"Anna,Puig,anna.puig@work.example,Vic\n"
    b"Joan,Ribas,joan@example.org,Reus\n"
)


def test_preview_import_and_merge_keeping_both_consent_histories(
    daphne_factory, new_page, tmp_path
):
    admin = UserFactory(username="crm_e2e_admin")
    organization = approved_organization(admin=admin, title="Casal del Barri")
    editor = UserFactory(username="crm_e2e_editor")
    membership_add(organization=organization, user=editor)
    services.crm_role_set(organization=organization, user=editor, role="editor", by=admin)
    book = services.book_get_or_create(organization)
    anna = services.contact_create(book=book, name="Anna Puig", emails=["anna@example.org"])
    services.consent_record(
        contact=anna, purpose="newsletter", channel="email", status="granted", method="paper"
    )
    server = daphne_factory(DJANGO_MEDIA_ROOT=str(tmp_path))
    base = f"{server.url}/portal/organizations/{organization.pk}/contacts"

    page = new_page()
    sign_in(page, server, "crm_e2e_editor")
    page.goto(f"{base}/import/")
    page.set_input_files(
        "main form input[name=file]",
        {"name": "contacts.csv", "mimeType": "text/csv", "buffer": CSV},
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    # The recognised headers are chosen already; the city is ignored.
    assert page.locator("select[name=col0]").input_value() == "first_name"
    assert page.locator("select[name=col2]").input_value() == "email"
    assert page.locator("select[name=col3]").input_value() == ""
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    preview.wait_for()
    assert "1 contact to create" in preview.inner_text()
    assert "1 possible duplicate" in preview.inner_text()
    assert Contact.objects.filter(book=book).count() == 1  # the preview stores nothing
    page.get_by_role("button", name="Import").click()
    page.locator("#import-log").wait_for()
    assert "2 contacts created" in page.locator("#import-log").inner_text()

    twin = Contact.objects.get(book=book, emails__email="anna.puig@work.example")
    services.consent_record(contact=twin, purpose="events", channel="phone", status="granted")
    services.consent_withdraw(contact=twin, purpose="events", channel="phone")

    page.goto(f"{base}/duplicates/")
    page.get_by_role("button", name=f"Merge #{twin.pk} into #{anna.pk}").click()
    page.wait_for_url(re.compile(rf"/contacts/{anna.pk}/$"))
    assert "both consent histories are kept" in page.locator("main").inner_text()
    assert not Contact.objects.filter(pk=twin.pk).exists()
    history = sorted(Consent.objects.filter(contact=anna).values_list("purpose", "status"))
    assert history == [
        ("events", "granted"),
        ("events", "withdrawn"),
        ("newsletter", "granted"),
    ]

    phone = new_page({"width": 360, "height": 740})
    sign_in(phone, server, "crm_e2e_editor")
    phone.goto(f"{base}/")
    assert "Joan Ribas" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
