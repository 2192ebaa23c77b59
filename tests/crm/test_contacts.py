"""Contacts: creating and editing with several e-mails and phones, search, tags, last-contact
sorting, interactions, and lists at a constant number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crm import selectors, services
from crm.models import Contact

pytestmark = pytest.mark.django_db


def test_editor_adds_a_contact_with_emails_phones_and_tags(client, crm):
    client.force_login(crm.crm_editor)
    response = client.post(
        reverse("portal:crm_contact_create", args=[crm.org.pk]),
        {
            "kind": "person",
            "name": "Carla Roig",
            "emails": "carla@example.org\nCARLA.work@example.org",
            "phones": "+34 600 111 222\n93 000 00 00",
            "roles": ["donor", "volunteer"],
            "tags": "neighbourhood, 2026 campaign",
            "language": "ca",
        },
    )
    contact = Contact.objects.get(name="Carla Roig")
    assert response.status_code == 302
    assert sorted(contact.emails.values_list("email", flat=True)) == [
        "carla.work@example.org",
        "carla@example.org",
    ]
    assert contact.phones.count() == 2
    assert sorted(contact.tags.values_list("name", flat=True)) == [
        "2026 campaign",
        "neighbourhood",
    ]
    assert contact.roles == ["donor", "volunteer"]


def test_bad_email_is_refused_and_nothing_stored(client, crm):
    client.force_login(crm.crm_editor)
    response = client.post(
        reverse("portal:crm_contact_create", args=[crm.org.pk]),
        {"kind": "person", "name": "Dani", "emails": "not-an-address"},
    )
    assert response.status_code == 200
    assert "not a valid e-mail address" in response.content.decode()
    assert not Contact.objects.filter(name="Dani").exists()


def test_edit_replaces_emails(client, crm):
    client.force_login(crm.crm_editor)
    client.post(
        reverse("portal:crm_contact_edit", args=[crm.org.pk, crm.contact.pk]),
        {"kind": "person", "name": "Anna Puig i Serra", "emails": "new@example.org"},
    )
    crm.contact.refresh_from_db()
    assert crm.contact.name == "Anna Puig i Serra"
    assert list(crm.contact.emails.values_list("email", flat=True)) == ["new@example.org"]


def test_search_by_name_email_and_phone(crm):
    services.contact_create(book=crm.book, name="Jordi Vila", emails=["jv@example.net"])
    assert [c.name for c in selectors.contact_list(crm.book, q="vila")] == ["Jordi Vila"]
    assert [c.name for c in selectors.contact_list(crm.book, q="jv@example")] == ["Jordi Vila"]
    assert [c.name for c in selectors.contact_list(crm.book, q="600 000 001")] == ["Anna Puig"]
    assert list(selectors.contact_list(crm.book, q="Bernat")) == []  # another book's


def test_interactions_set_last_contact_and_sort(crm):
    old = services.contact_create(book=crm.book, name="Old friend")
    services.contact_create(book=crm.book, name="Never met")
    now = timezone.now()
    services.interaction_add(contact=old, kind="call", happened_at=now - timedelta(days=400))
    services.interaction_add(contact=crm.contact, kind="meeting", happened_at=now)
    services.interaction_add(contact=crm.contact, kind="call", happened_at=now - timedelta(days=3))
    crm.contact.refresh_from_db()
    assert crm.contact.last_contact_at == now
    recent = [c.name for c in selectors.contact_list(crm.book, sort="-last_contact")]
    assert recent == ["Anna Puig", "Old friend", "Never met"]
    longest = [c.name for c in selectors.contact_list(crm.book, sort="last_contact")]
    assert longest == ["Never met", "Old friend", "Anna Puig"]


def test_list_filters_by_tag_and_role(crm):
    tagged = services.contact_create(
        book=crm.book, name="Tagged", tags=["board"], roles=["volunteer"]
    )
    tag = tagged.tags.get()
    assert [c.pk for c in selectors.contact_list(crm.book, tag=tag.pk)] == [tagged.pk]
    assert [c.pk for c in selectors.contact_list(crm.book, role="volunteer")] == [tagged.pk]


@pytest.mark.parametrize("rows", [3, 50])
def test_contact_list_queries_are_constant(client, crm, rows, django_assert_max_num_queries):
    for n in range(rows):
        services.contact_create(
            book=crm.book,
            name=f"Person {n}",
            emails=[f"p{n}@example.org", f"q{n}@example.org"],
            phones=["600 000 000"],
            tags=["a", "b"],
        )
    client.force_login(crm.viewer)
    url = reverse("portal:crm_contact_list", args=[crm.org.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url + "?q=person&sort=-last_contact")
    assert response.status_code == 200
    assert response.content.decode().count("Person ") >= min(rows, 50)


def test_contact_detail_shows_consent_and_timeline(client, crm):
    services.consent_record(
        contact=crm.contact,
        purpose="newsletter",
        channel="email",
        status="granted",
        method="paper form",
        notice_version="v2",
    )
    services.interaction_add(contact=crm.contact, kind="gift", summary="Books for the library")
    client.force_login(crm.viewer)
    body = client.get(
        reverse("portal:crm_contact_detail", args=[crm.org.pk, crm.contact.pk])
    ).content.decode()
    assert "paper form" in body and "Books for the library" in body
    assert "Withdraw" not in body  # a viewer sees, never changes
