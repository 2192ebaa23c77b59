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


@pytest.mark.parametrize("rows", [3, 60])
def test_contact_page_queries_are_constant(client, crm, rows, django_assert_max_num_queries):
    """A contact's page (facts, relationships, the consent ledger and the timeline, with what
    the portal knows of a linked account) asks the same queries for a short and a long life."""
    contact = services.contact_create(
        book=crm.book,
        name="Long life",
        emails=["long@example.org", "life@example.org"],
        phones=["600 000 000"],
        tags=["a", "b"],
        user=crm.plain,
    )
    purposes, channels = ("newsletter", "events", "fundraising"), ("email", "phone")
    for n in range(rows):
        services.consent_record(
            contact=contact,
            purpose=purposes[n % 3],
            channel=channels[n % 2],
            status=("granted", "withdrawn", "not_asked")[n % 3],
            method=f"form {n}",
            by=crm.crm_editor,
        )
        services.interaction_add(
            contact=contact, kind="call", summary=f"Call number {n}", by=crm.crm_editor
        )
        if n % 10 == 0:
            other = services.contact_create(book=crm.book, name=f"Relative {n}")
            services.relationship_add(contact=contact, other=other, kind="household")
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_contact_detail", args=[crm.org.pk, contact.pk])
    client.get(url)
    with django_assert_max_num_queries(18):
        body = client.get(url).content.decode()
    assert body.count("Call number") == rows
    assert f"form {rows - 1}" in body and "Relative 0" in body


def test_a_contact_is_linked_only_to_an_account_with_one_of_its_confirmed_emails(client, crm):
    from allauth.account.models import EmailAddress
    from django.core.exceptions import ValidationError

    from tests.factories import UserFactory

    person = UserFactory(username="anna_account", email="Anna@example.org")
    stranger = UserFactory(username="stranger_account")
    unconfirmed = UserFactory(username="unconfirmed_account", email="x@example.org")
    EmailAddress.objects.filter(user=unconfirmed).update(verified=False)
    services.contact_update(contact=crm.contact, emails=["anna@example.org", "x@example.org"])
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_contact_edit", args=[crm.org.pk, crm.contact.pk])
    page = client.get(url).content.decode()
    assert "anna_account (Anna@example.org)" in page
    assert "stranger_account" not in page and "unconfirmed_account" not in page
    base = {"kind": "person", "name": "Anna Puig", "emails": "anna@example.org\nx@example.org"}
    response = client.post(url, {**base, "account": stranger.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    crm.contact.refresh_from_db()
    assert crm.contact.user_id is None
    assert client.post(url, {**base, "account": person.pk}).status_code == 302
    crm.contact.refresh_from_db()
    assert crm.contact.user_id == person.pk
    detail = reverse("portal:crm_contact_detail", args=[crm.org.pk, crm.contact.pk])
    assert "anna_account" in client.get(detail).content.decode()
    with pytest.raises(ValidationError):
        services.contact_update(contact=crm.contact, user_id=unconfirmed.pk)
    assert client.post(url, {**base, "account": ""}).status_code == 302  # unlinked
    crm.contact.refresh_from_db()
    assert crm.contact.user_id is None
