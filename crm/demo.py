"""Demo contacts: the lead organization's admin (``coordinator``) is its CRM exporter; eight
contacts with consent, interactions and one pair of duplicates to merge. Safe to run twice:
nothing is added to a book that already has contacts."""

from datetime import timedelta

from django.utils import timezone

from partners.models import Membership

from . import services

CONTACTS = [
    ("Marta Ferrer", "person", ["marta.ferrer@example.org"], ["donor"], ["newsletter"], 20),
    ("Jordi Vila", "person", ["jordi.vila@example.org"], ["volunteer"], ["volunteering"], 3),
    ("Núria Soler", "person", ["nuria@example.org"], ["member", "donor"], ["fundraising"], 400),
    ("Casal del Barri", "organization", ["casal@example.org"], ["partner_contact"], [], 60),
    ("Pau Roig", "person", ["pau.roig@example.org"], ["beneficiary"], ["events"], 1200),
    ("Laia Puig", "person", ["laia.puig@example.org"], ["volunteer"], ["newsletter"], 10),
    ("Laia Puig", "person", ["laia@work.example.org"], ["donor"], ["events"], None),
    ("Fundació Amics", "organization", ["hola@amics.example.org"], ["donor"], [], 90),
]


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
    services.crm_role_set(organization=lead, user=admin.user, role="exporter", by=admin.user)
    book = services.book_get_or_create(lead)
    if book.contacts.exists():
        return
    now = timezone.now()
    for name, kind, emails, roles, purposes, days in CONTACTS:
        contact = services.contact_create(
            book=book, name=name, kind=kind, emails=emails, roles=roles, source="demo"
        )
        for purpose in purposes:
            services.consent_record(
                contact=contact,
                by=admin.user,
                purpose=purpose,
                channel="email",
                status="granted",
                method="paper form",
                notice_version="2026-01",
            )
        if days is not None:
            services.interaction_add(
                contact=contact, by=admin.user, kind="call", happened_at=now - timedelta(days=days)
            )
    ctx.log(f"crm: {len(CONTACTS)} contacts for {lead.title}")
