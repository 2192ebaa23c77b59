"""The consent ledger: append-only, withdrawal in one click, the current state derived from it,
segments and exports that never include a contact without consent, anonymising and retention."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageLogEntry

from crm import selectors, services
from crm.models import Consent, Contact
from tests.hypothesis_profiles import examples

pytestmark = pytest.mark.django_db


def test_withdrawal_is_one_click_and_keeps_the_history(client, crm):
    services.consent_record(
        contact=crm.contact, purpose="newsletter", channel="email", status="granted"
    )
    client.force_login(crm.crm_editor)
    client.post(
        reverse("portal:crm_contact_withdraw", args=[crm.org.pk, crm.contact.pk]),
        {"purpose": "newsletter", "channel": "email"},
    )
    history = selectors.consent_history(crm.contact)
    assert [c.status for c in history] == ["withdrawn", "granted"]
    current = selectors.consent_current(history)
    assert current["newsletter", "email"].status == "withdrawn"
    assert current["newsletter", "email"].recorded_by == crm.crm_editor


def test_bad_consent_is_refused_and_nothing_stored(client, crm):
    client.force_login(crm.crm_editor)
    client.post(
        reverse("portal:crm_contact_consent", args=[crm.org.pk, crm.contact.pk]),
        {"purpose": "spam", "channel": "email", "status": "granted", "legal_basis": "consent"},
    )
    assert not Consent.objects.exists()


ENTRIES = st.lists(
    st.tuples(
        st.integers(0, 3),  # which contact
        st.sampled_from(Consent.Purpose.values),
        st.sampled_from(Consent.Channel.values),
        st.sampled_from(Consent.Status.values),
    ),
    max_size=12,
)


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(entries=ENTRIES, purpose=st.sampled_from(Consent.Purpose.values))
def test_segment_never_includes_a_contact_without_consent(crm, entries, purpose):
    """Whatever the ledger holds, the segment for a purpose on e-mail is exactly the contacts
    whose latest entry for it grants it."""
    Contact.objects.filter(book=crm.book).delete()
    contacts = [services.contact_create(book=crm.book, name=f"C{n}") for n in range(4)]
    start = timezone.now() - timedelta(days=1)
    latest = {}
    for n, (which, p, channel, status) in enumerate(entries):
        services.consent_record(
            contact=contacts[which],
            purpose=p,
            channel=channel,
            status=status,
            recorded_at=start + timedelta(minutes=n),
        )
        latest[contacts[which].pk, p, channel] = status
    segment = {
        c.pk for c in selectors.consenting_contacts(crm.book, purpose=purpose, channel="email")
    }
    expected = {
        pk
        for (pk, p, ch), s in latest.items()
        if p == purpose and ch == "email" and s == "granted"
    }
    assert segment == expected


def test_export_respects_consent_and_is_audited(client, crm):
    yes = services.contact_create(
        book=crm.book, name="Yes", emails=["yes@example.org"], address="Carrer Major 1"
    )
    withdrawn = services.contact_create(book=crm.book, name="Withdrew", emails=["w@example.org"])
    for contact in (yes, withdrawn):
        services.consent_record(
            contact=contact, purpose="newsletter", channel="email", status="granted"
        )
    services.consent_withdraw(contact=withdrawn, purpose="newsletter", channel="email")
    client.force_login(crm.exporter)
    response = client.get(
        reverse("portal:crm_export", args=[crm.org.pk]),
        {"purpose": "newsletter", "channel": "email"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["name", "kind", "language", "email", "phone"],
        ["Yes", "person", "", "yes@example.org", ""],
    ]
    entry = PageLogEntry.objects.filter(page=crm.org, action="crm.export").get()
    assert entry.user == crm.exporter
    assert entry.data["detail"].startswith("1 ")
    # Sensitive fields only when asked.
    response = client.get(
        reverse("portal:crm_export", args=[crm.org.pk]),
        {"purpose": "newsletter", "channel": "email", "extra": ["address"]},
    )
    assert "Carrer Major 1" in response.content.decode()
    entry = PageLogEntry.objects.filter(page=crm.org, action="crm.export").latest("pk")
    assert entry.data["detail"] == "1 (newsletter/email) + address"


def test_export_cells_never_run_as_formulas(client, crm):
    contact = services.contact_create(
        book=crm.book, name="=HYPERLINK(1)", emails=["f@example.org"]
    )
    services.consent_record(contact=contact, purpose="events", channel="email", status="granted")
    client.force_login(crm.exporter)
    body = client.get(
        reverse("portal:crm_export", args=[crm.org.pk]), {"purpose": "events", "channel": "email"}
    ).content.decode()
    assert "'=HYPERLINK(1)" in body


@pytest.mark.parametrize("rows", [3, 50])
def test_export_queries_are_constant(client, crm, rows, django_assert_max_num_queries):
    for n in range(rows):
        contact = services.contact_create(
            book=crm.book, name=f"P{n}", emails=[f"p{n}@example.org"]
        )
        services.consent_record(
            contact=contact, purpose="events", channel="email", status="granted"
        )
    client.force_login(crm.exporter)
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("portal:crm_export", args=[crm.org.pk]),
            {"purpose": "events", "channel": "email"},
        )
    assert response.content.decode().count("@example.org") == rows


def test_anonymising_blanks_the_person_and_keeps_the_ledger(client, crm):
    services.consent_record(
        contact=crm.contact, purpose="newsletter", channel="email", status="granted"
    )
    services.consent_withdraw(contact=crm.contact, purpose="newsletter", channel="email")
    services.interaction_add(contact=crm.contact, kind="call", summary="Talked about Anna's kids")
    services.contact_anonymise(contact=crm.contact)
    crm.contact.refresh_from_db()
    assert "Anna" not in crm.contact.name
    assert not crm.contact.emails.exists() and not crm.contact.phones.exists()
    assert crm.contact.interactions.get().summary == ""
    assert crm.contact.consents.count() == 2
    assert crm.contact not in selectors.consenting_contacts(
        crm.book, purpose="newsletter", channel="email"
    )


def test_retention_flags_withdrawn_and_inactive_contacts(crm):
    withdrawn = services.contact_create(book=crm.book, name="Withdrew")
    services.consent_record(
        contact=withdrawn,
        purpose="events",
        channel="email",
        status="granted",
        recorded_at=timezone.now() - timedelta(days=2),
    )
    services.consent_withdraw(contact=withdrawn, purpose="events", channel="email")
    member = services.contact_create(book=crm.book, name="Member by contract")
    services.consent_record(
        contact=member,
        purpose="events",
        channel="email",
        status="withdrawn",
        legal_basis="contract",
    )
    dormant = services.contact_create(book=crm.book, name="Dormant")
    services.interaction_add(
        contact=dormant, kind="call", happened_at=timezone.now() - timedelta(days=4 * 365)
    )
    flagged = {c.name for c in selectors.retention_candidates(crm.book, years=3)}
    assert flagged == {"Withdrew", "Dormant"}


@pytest.mark.parametrize("rows", [3, 50])
def test_segment_page_is_consent_only_at_constant_queries(
    client, crm, rows, django_assert_max_num_queries
):
    tag = services.contact_create(book=crm.book, name="T", tags=["board"]).tags.get()
    segment = services.segment_create(
        book=crm.book, name="Board news", purpose="newsletter", channel="email", tag=tag
    )
    for n in range(rows):
        contact = services.contact_create(
            book=crm.book, name=f"P{n}", emails=[f"p{n}@example.org"], tags=["board"]
        )
        status = "granted" if n % 2 == 0 else "withdrawn"
        services.consent_record(
            contact=contact, purpose="newsletter", channel="email", status=status
        )
    client.force_login(crm.viewer)
    url = reverse("portal:crm_segment_detail", args=[crm.org.pk, segment.pk])
    with django_assert_max_num_queries(14):
        body = client.get(url).content.decode()
    shown = body.count("@example.org")
    assert shown == len(range(0, rows, 2))
    assert "p1@example.org" not in body
