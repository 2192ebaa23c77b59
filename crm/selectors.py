"""Every read of the CRM, each in a fixed number of queries whatever the rows."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from core.person_activity import person_activity
from core.personal_data import when

from .models import (
    Consent,
    Contact,
    ContactBook,
    ContactEmail,
    ContactImport,
    CrmRole,
    Relationship,
    Tag,
)

PAGE_SIZE = 50
SORTS = {
    "name": ("name", "pk"),
    "-last_contact": (F("last_contact_at").desc(nulls_last=True), "name", "pk"),
    "last_contact": (F("last_contact_at").asc(nulls_first=True), "name", "pk"),
    "-created": ("-created_at", "-pk"),
}


def book_for(organization):
    return ContactBook.objects.filter(organization=organization).first()


def contact_list(book, *, q="", tag=None, role="", sort="name"):
    """The book's contacts, searched by name, e-mail or phone, with their e-mails, phones and
    tags in three more queries."""
    rows = Contact.objects.filter(book=book)
    q = " ".join((q or "").split())
    if q:
        rows = rows.filter(
            Q(name__icontains=q)
            | Exists(ContactEmail.objects.filter(contact=OuterRef("pk"), email__icontains=q))
            | Q(phones__number__icontains=q)
        ).distinct()
    if tag:
        rows = rows.filter(tags__pk=tag)
    if role:
        rows = rows.filter(roles__icontains=f'"{role}"')
    return rows.order_by(*SORTS.get(sort, SORTS["name"])).prefetch_related(
        "emails", "phones", Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def contact_get(book, contact_id):
    """One contact of the book, or None (another book's contact does not exist here)."""
    if book is None:
        return None
    return (
        Contact.objects.filter(book=book, pk=contact_id)
        .select_related("user")
        .prefetch_related("emails", "phones", "tags")
        .first()
    )


def consent_history(contact):
    return list(contact.consents.select_related("recorded_by"))


def consent_current(history):
    """{(purpose, channel): latest entry} from a history ordered newest first."""
    current = {}
    for entry in history:
        current.setdefault((entry.purpose, entry.channel), entry)
    return current


def interactions(contact):
    return list(contact.interactions.select_related("recorded_by"))


def timeline(contact, organization_id):
    """The contact's interactions and, for a contact linked to a portal account, what the
    portal knows the person did with the organization (``core.person_activity``), newest
    first."""
    rows = [
        {
            "when": i.happened_at,
            "kind": i.get_kind_display(),
            "summary": i.summary,
            "portal": False,
        }
        for i in interactions(contact)
    ]
    for row in person_activity(contact.user_id, organization_id):
        rows.append({**row, "portal": True})
    rows.sort(key=lambda row: row["when"], reverse=True)
    return rows


def _latest_status(purpose, channel):
    return Subquery(
        Consent.objects.filter(contact=OuterRef("pk"), purpose=purpose, channel=channel)
        .order_by("-recorded_at", "-pk")
        .values("status")[:1]
    )


def consenting_contacts(book, *, purpose, channel, tag=None):
    """The contacts whose latest consent entry for ``purpose`` on ``channel`` grants it; never
    an anonymised one. The segment behind every mailing export."""
    rows = (
        Contact.objects.filter(book=book, anonymised_at__isnull=True)
        .annotate(consent_status=_latest_status(purpose, channel))
        .filter(consent_status=Consent.Status.GRANTED)
    )
    if tag:
        rows = rows.filter(tags__pk=tag)
    return rows.order_by("name", "pk").prefetch_related("emails", "phones", "tags")


def duplicate_groups(book):
    """Sets of contacts that share an e-mail or a name, in two queries plus one."""
    by_email = defaultdict(set)
    for contact_id, email in ContactEmail.objects.filter(contact__book=book).values_list(
        "contact_id", "email"
    ):
        by_email[email.lower()].add(contact_id)
    by_name = defaultdict(set)
    for contact_id, key in (
        Contact.objects.filter(book=book, anonymised_at__isnull=True)
        .exclude(name_key="")
        .values_list("pk", "name_key")
    ):
        by_name[key].add(contact_id)
    groups = []
    seen = set()
    for ids in [*by_email.values(), *by_name.values()]:
        key = frozenset(ids)
        if len(ids) > 1 and key not in seen:
            seen.add(key)
            groups.append(sorted(ids))
    contacts = Contact.objects.in_bulk([pk for ids in groups for pk in ids])
    for contact in Contact.objects.filter(pk__in=list(contacts)).prefetch_related("emails"):
        contacts[contact.pk] = contact
    return [[contacts[pk] for pk in ids if pk in contacts] for ids in groups[:100]]


def retention_candidates(book, *, years):
    """Contacts to anonymise: no contact for ``years`` (or never, and created that long ago),
    or whose consent was withdrawn with nothing granted since and no other legal basis on
    record. Two queries whatever the rows."""
    cutoff = timezone.now() - timedelta(days=365 * years)
    live = Contact.objects.filter(book=book, anonymised_at__isnull=True)
    current = defaultdict(dict)
    other_basis = set()
    for contact_id, purpose, channel, status, basis in (
        Consent.objects.filter(contact__in=live)
        .order_by("-recorded_at", "-pk")
        .values_list("contact_id", "purpose", "channel", "status", "legal_basis")
    ):
        current[contact_id].setdefault((purpose, channel), status)
        if basis != Consent.Basis.CONSENT:
            other_basis.add(contact_id)
    withdrawn = [
        contact_id
        for contact_id, states in current.items()
        if contact_id not in other_basis
        and Consent.Status.WITHDRAWN in states.values()
        and Consent.Status.GRANTED not in states.values()
    ]
    inactive = Q(last_contact_at__lt=cutoff) | Q(
        last_contact_at__isnull=True, created_at__lt=cutoff
    )
    return live.filter(inactive | Q(pk__in=withdrawn)).order_by("name", "pk")


def roles_of(book):
    if book is None:
        return []
    return list(
        CrmRole.objects.filter(book=book).select_related("user").order_by("user__username")
    )


def personal_data(user):
    """What the CRM holds about an account: its roles and the contacts linked to it."""
    return {
        "roles": [
            {
                "organization": r.book.organization.title,
                "role": r.role,
                "since": when(r.created_at),
            }
            for r in CrmRole.objects.filter(user=user).select_related("book__organization")
        ],
        "contacts": [
            {
                "organization": c.book.organization.title,
                "name": c.name,
                "emails": [e.email for e in c.emails.all()],
                "phones": [p.number for p in c.phones.all()],
                "address": c.address,
                "consents": [
                    {
                        "purpose": x.purpose,
                        "channel": x.channel,
                        "status": x.status,
                        "when": when(x.recorded_at),
                    }
                    for x in c.consents.all()
                ],
                "interactions": [
                    {"kind": i.kind, "when": when(i.happened_at), "summary": i.summary}
                    for i in c.interactions.all()
                ],
            }
            for c in Contact.objects.filter(user=user)
            .select_related("book__organization")
            .prefetch_related("emails", "phones", "consents", "interactions")
        ],
        "imports": [
            {
                "organization": i.book.organization.title,
                "file": i.file_name,
                "rows": i.rows,
                "uploaded": when(i.created_at),
                "imported": when(i.finished_at) if i.finished_at else None,
            }
            for i in ContactImport.objects.filter(by=user).select_related("book__organization")
        ],
    }


def relationships(contact):
    """(kind label, the other contact) both ways, in one query."""
    rows = Relationship.objects.filter(Q(contact=contact) | Q(other=contact)).select_related(
        "contact", "other"
    )
    return [
        (r.get_kind_display(), r.other if r.contact_id == contact.pk else r.contact) for r in rows
    ]


def linkable_accounts(contact, emails=None):
    """The portal accounts a contact may be linked to, as (user id, label): those whose
    confirmed e-mail is one of the contact's, and the one it is linked to. Nobody can look up
    an account by an address the organization does not already hold."""
    from allauth.account.models import EmailAddress

    if emails is None:
        emails = [e.email for e in contact.emails.all()]
    match = Q(pk__in=[])
    for email in emails:
        match |= Q(email__iexact=email)
    rows = {
        address.user_id: f"{address.user.get_username()} ({address.email})"
        for address in EmailAddress.objects.filter(match, verified=True)
        .select_related("user")
        .order_by("user_id", "pk")
    }
    if contact.user_id and contact.user_id not in rows:
        rows[contact.user_id] = contact.user.get_username()
    return sorted(rows.items(), key=lambda row: row[1])
