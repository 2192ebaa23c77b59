"""Demo contacts: the lead organization's admin (``coordinator``) is its CRM exporter; eight
contacts with tags, consent in every state (granted, withdrawn, not asked; by consent and by
contract), interactions, a household and a person who works for an organization, one pair of
duplicates to merge, two segments and one CSV import in the log (it updated a contact by her
e-mail and flagged another possible duplicate). Safe to run twice: nothing is added to a book
that already has contacts."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from partners.models import Membership

from . import services
from .models import Contact

# name, kind, e-mails, roles, tags, days since the last call (None: never called)
CONTACTS = [
    ("Marta Ferrer", "person", ["marta.ferrer@example.org"], ["donor"], ["donors"], 20),
    ("Jordi Vila", "person", ["jordi.vila@example.org"], ["volunteer"], ["volunteers"], 3),
    ("Núria Soler", "person", ["nuria@example.org"], ["member", "donor"], ["donors"], 400),
    ("Casal del Barri", "organization", ["casal@example.org"], ["partner_contact"], [], 60),
    ("Pau Roig", "person", ["pau.roig@example.org"], ["beneficiary"], [], 1200),
    ("Laia Puig", "person", ["laia.puig@example.org"], ["volunteer"], ["volunteers"], 10),
    ("Laia Puig", "person", ["laia@work.example.org"], ["donor"], [], None),
    ("Fundació Amics", "organization", ["hola@amics.example.org"], ["donor"], ["donors"], 90),
]

# name: [(purpose, channel, status, legal basis, days ago)], oldest first
CONSENTS = {
    "Marta Ferrer": [
        ("newsletter", "email", "granted", "consent", 300),
        ("fundraising", "phone", "granted", "consent", 300),
        ("fundraising", "phone", "withdrawn", "consent", 40),
    ],
    "Jordi Vila": [
        ("volunteering", "email", "granted", "consent", 100),
        ("newsletter", "email", "not_asked", "consent", 100),
    ],
    "Núria Soler": [
        ("fundraising", "email", "granted", "contract", 500),
        ("newsletter", "email", "granted", "consent", 500),
    ],
    "Pau Roig": [
        ("events", "email", "granted", "consent", 1300),
        ("events", "email", "withdrawn", "consent", 900),
    ],
    "Laia Puig": [("newsletter", "email", "granted", "consent", 30)],
    "Fundació Amics": [("newsletter", "post", "granted", "legitimate_interest", 200)],
}

IMPORT_FILE = (
    "First Name,Last Name,Email Address,Phone_Mobile,Tags,Lead Source\n"
    "Aina,Costa,aina.costa@example.org,600 111 222,volunteers,fair 2026\n"
    "Marta,Ferrer,marta.ferrer@example.org,600 333 444,donors,fair 2026\n"
    "Jordi,Vila,jordi@casal.example.org,,,fair 2026\n"
)


def seed(ctx):
    lead = ctx.organizations.get("lead")
    if lead is None:
        ctx.log("crm: the demo organizations are missing, skipped")
        return
    admin = (
        Membership.objects.filter(organization=lead, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin is None:
        return
    user = admin.user
    services.crm_role_set(organization=lead, user=user, role="exporter", by=user)
    book = services.book_get_or_create(lead)
    if book.contacts.exists():
        return
    now = timezone.now()
    made = {}
    for name, kind, emails, roles, tags, days in CONTACTS:
        contact = services.contact_create(
            book=book, name=name, kind=kind, emails=emails, roles=roles, tags=tags, source="demo"
        )
        made.setdefault(name, contact)
        if days is not None:
            services.interaction_add(
                contact=contact, by=user, kind="call", happened_at=now - timedelta(days=days)
            )
    for name, entries in CONSENTS.items():
        for purpose, channel, status, basis, days in entries:
            services.consent_record(
                contact=made[name],
                by=user,
                purpose=purpose,
                channel=channel,
                status=status,
                legal_basis=basis,
                method="paper form" if status != "not_asked" else "",
                notice_version="2026-01",
                recorded_at=now - timedelta(days=days),
            )
    services.relationship_add(
        contact=made["Jordi Vila"], other=made["Casal del Barri"], kind="works_for"
    )
    services.relationship_add(
        contact=made["Marta Ferrer"], other=made["Pau Roig"], kind="household"
    )
    donors = book.tags.get(name="donors")
    services.segment_create(
        book=book, name="Newsletter by e-mail", purpose="newsletter", channel="email"
    )
    services.segment_create(
        book=book, name="Donors to call", purpose="fundraising", channel="phone", tag=donors
    )
    _import(book, user)
    ctx.log(f"crm: {Contact.objects.filter(book=book).count()} contacts for {lead.title}")


def _import(book, user):
    """One import in the log, run as the portal runs it (the work itself done here, not
    queued: the queued run then finds it done)."""
    upload = ContentFile(IMPORT_FILE.encode(), name="fair-2026.csv")
    contact_import = services.import_upload(book=book, by=user, upload=upload)
    services.import_start(
        contact_import=contact_import, mapping=contact_import.mapping, by=user, dry_run=False
    )
    services.import_run(import_id=contact_import.pk)
