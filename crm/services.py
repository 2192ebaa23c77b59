"""Every write of the CRM: roles, contacts, the consent ledger, interactions, merging,
anonymising and forgetting. Views check access (``crm.permissions``) and call one of these."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from partners.models import Membership, PartnerPage

from . import audit, permissions
from .models import (
    Consent,
    Contact,
    ContactBook,
    ContactBookUserObjectPermission,
    ContactEmail,
    ContactPhone,
    CrmRole,
    Interaction,
    Relationship,
    Segment,
    Tag,
    name_key,
)

ANONYMISED_NAME = "—"


def book_get_or_create(organization):
    book, _created = ContactBook.objects.get_or_create(organization=organization)
    return book


# --- Roles ----------------------------------------------------------------------------------


@transaction.atomic
def crm_role_set(*, organization, user, role, by=None):
    """Give a member of the organization a CRM role (replacing the one they had)."""
    if role not in CrmRole.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"user": _("Only members of the organization may have a role.")})
    book = book_get_or_create(organization)
    crm_role, _created = CrmRole.objects.update_or_create(
        book=book, user=user, defaults={"role": role, "granted_by": by}
    )
    permissions.role_grant(crm_role)
    audit_record(organization, audit.ROLE_SET, user=by, person=user, role=role)
    return crm_role


@transaction.atomic
def crm_role_remove(*, organization, user, by=None):
    book = book_get_or_create(organization)
    deleted, _rows = CrmRole.objects.filter(book=book, user=user).delete()
    permissions.role_revoke(book=book, user_ids=[user.pk])
    if deleted:
        audit_record(organization, audit.ROLE_REMOVE, user=by, person=user)


@transaction.atomic
def crm_membership_ended(*, organization_id, user_id):
    """The person left the organization: their CRM role and its permissions end with it.

    No permission check: partners decided (``partners.signals.membership_ended``)."""
    book = ContactBook.objects.filter(organization_id=organization_id).first()
    if book is None:
        return
    CrmRole.objects.filter(book=book, user_id=user_id).delete()
    permissions.role_revoke(book=book, user_ids=[user_id])


# --- Contacts -------------------------------------------------------------------------------


def _clean_emails(emails):
    found = []
    for email in emails or ():
        email = (email or "").strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"emails": _("“%(email)s” is not a valid e-mail address.") % {"email": email}}
            ) from None
        if email not in found:
            found.append(email)
    return found


def _clean_phones(phones):
    found = []
    for phone in phones or ():
        phone = " ".join((phone or "").split())
        if not phone:
            continue
        if len(phone) > 40 or not any(ch.isdigit() for ch in phone):
            raise ValidationError(
                {"phones": _("“%(phone)s” is not a phone number.") % {"phone": phone[:40]}}
            )
        if phone not in found:
            found.append(phone)
    return found


def _tags(book, names):
    names = sorted({" ".join(n.split())[:60] for n in names or () if n and n.strip()})
    existing = {t.name: t for t in Tag.objects.filter(book=book, name__in=names)}
    missing = [Tag(book=book, name=n) for n in names if n not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(book=book, name__in=names)}
    return list(existing.values())


CONTACT_FIELDS = ("kind", "name", "address", "language", "roles", "source", "notes")


def _check_roles(roles):
    roles = list(dict.fromkeys(roles or ()))
    bad = [r for r in roles if r not in Contact.Role.values]
    if bad:
        raise ValidationError({"roles": _("Unknown role: %(role)s") % {"role": bad[0]}})
    return roles


@transaction.atomic
def contact_create(*, book, by=None, emails=(), phones=(), tags=(), **fields):
    fields["roles"] = _check_roles(fields.get("roles"))
    emails, phones = _clean_emails(emails), _clean_phones(phones)
    contact = Contact(
        book=book, **{k: v for k, v in fields.items() if k in (*CONTACT_FIELDS, "user")}
    )
    contact.full_clean(exclude=["name_key"])
    contact.save()
    ContactEmail.objects.bulk_create([ContactEmail(contact=contact, email=e) for e in emails])
    ContactPhone.objects.bulk_create([ContactPhone(contact=contact, number=p) for p in phones])
    contact.tags.set(_tags(book, tags))
    return contact


@transaction.atomic
def contact_update(*, contact, by=None, emails=None, phones=None, tags=None, **fields):
    if contact.anonymised_at:
        raise ValidationError(_("This contact was anonymised and can no longer be changed."))
    if "roles" in fields:
        fields["roles"] = _check_roles(fields["roles"])
    for name, value in fields.items():
        if name in CONTACT_FIELDS:
            setattr(contact, name, value)
    contact.full_clean(exclude=["name_key"])
    contact.save()
    if emails is not None:
        emails = _clean_emails(emails)
        contact.emails.exclude(email__in=emails).delete()
        have = set(contact.emails.values_list("email", flat=True))
        ContactEmail.objects.bulk_create(
            [ContactEmail(contact=contact, email=e) for e in emails if e not in have]
        )
    if phones is not None:
        phones = _clean_phones(phones)
        contact.phones.exclude(number__in=phones).delete()
        have = set(contact.phones.values_list("number", flat=True))
        ContactPhone.objects.bulk_create(
            [ContactPhone(contact=contact, number=p) for p in phones if p not in have]
        )
    if tags is not None:
        contact.tags.set(_tags(contact.book, tags))
    return contact


# --- Consent ledger -------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    contact,
    by=None,
    purpose,
    channel,
    status,
    legal_basis=Consent.Basis.CONSENT,
    method="",
    notice_version="",
    recorded_at=None,
):
    """Add one entry to the ledger; the latest entry per purpose and channel is the state."""
    if contact.anonymised_at and status == Consent.Status.GRANTED:
        raise ValidationError(_("An anonymised contact cannot give consent."))
    entry = Consent(
        contact=contact,
        purpose=purpose,
        channel=channel,
        status=status,
        legal_basis=legal_basis,
        method=method,
        notice_version=notice_version,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=by,
    )
    entry.full_clean()
    entry.save()
    return entry


def consent_withdraw(*, contact, by=None, purpose, channel, method=""):
    """One click: the contact no longer agrees to ``purpose`` on ``channel``."""
    return consent_record(
        contact=contact,
        by=by,
        purpose=purpose,
        channel=channel,
        status=Consent.Status.WITHDRAWN,
        method=method or _("withdrawn in the portal"),
    )


# --- Interactions ---------------------------------------------------------------------------


@transaction.atomic
def interaction_add(*, contact, by=None, kind, happened_at=None, summary=""):
    if contact.anonymised_at:
        raise ValidationError(_("This contact was anonymised and can no longer be changed."))
    interaction = Interaction(
        contact=contact,
        kind=kind,
        happened_at=happened_at or timezone.now(),
        summary=summary,
        recorded_by=by,
    )
    interaction.full_clean()
    interaction.save()
    when = Value(interaction.happened_at)
    Contact.objects.filter(pk=contact.pk).update(
        last_contact_at=Greatest(Coalesce("last_contact_at", when), when)
    )
    return interaction


# --- Merging and anonymising ----------------------------------------------------------------


@transaction.atomic
def contacts_merge(*, keep, other, by=None):
    """Fold ``other`` into ``keep``: e-mails, phones, tags, roles, blank fields, both consent
    histories and both timelines move to ``keep``; ``other`` is deleted."""
    if keep.pk == other.pk or keep.book_id != other.book_id:
        raise ValidationError(_("Choose two different contacts of the same organization."))
    if keep.anonymised_at or other.anonymised_at:
        raise ValidationError(_("An anonymised contact cannot be merged."))
    keep, other = (
        Contact.objects.select_for_update().get(pk=keep.pk),
        Contact.objects.select_for_update().get(pk=other.pk),
    )
    have = set(keep.emails.values_list("email", flat=True))
    other.emails.filter(email__in=have).delete()
    other.emails.update(contact=keep)
    have = set(keep.phones.values_list("number", flat=True))
    other.phones.filter(number__in=have).delete()
    other.phones.update(contact=keep)
    Consent.objects.filter(contact=other).update(contact=keep)
    Interaction.objects.filter(contact=other).update(contact=keep)
    Relationship.objects.filter(
        Q(contact=other, other=keep) | Q(contact=keep, other=other)
    ).delete()
    for relationship in Relationship.objects.filter(Q(contact=other) | Q(other=other)):
        mine = relationship.contact_id == other.pk
        Relationship.objects.get_or_create(
            contact=keep if mine else relationship.contact,
            other=relationship.other if mine else keep,
            kind=relationship.kind,
        )
    keep.tags.add(*other.tags.all())
    keep.roles = list(dict.fromkeys([*keep.roles, *other.roles]))
    for name in ("address", "language", "source", "user_id"):
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
    if other.notes:
        keep.notes = "\n\n".join(n for n in (keep.notes, other.notes) if n)
    dates = [d for d in (keep.last_contact_at, other.last_contact_at) if d]
    keep.last_contact_at = max(dates) if dates else None
    other_pk = other.pk
    other.delete()
    keep.save()
    organization = PartnerPage.objects.get(contact_book=keep.book_id)
    audit_record(organization, audit.MERGE, user=by, detail=f"#{other_pk} → #{keep.pk}")
    return keep


@transaction.atomic
def contact_anonymise(*, contact, by=None):
    """Blank everything that names the contact; the consent ledger (which names no one) and
    the dates of the timeline stay, so the figures and the proof of withdrawal remain."""
    contact.emails.all().delete()
    contact.phones.all().delete()
    contact.tags.clear()
    Relationship.objects.filter(Q(contact=contact) | Q(other=contact)).delete()
    contact.interactions.update(summary="", recorded_by=None)
    contact.consents.update(method="", recorded_by=None)
    now = timezone.now()
    Contact.objects.filter(pk=contact.pk).update(
        name=ANONYMISED_NAME,
        name_key="",
        address="",
        notes="",
        source="",
        user=None,
        anonymised_at=now,
    )
    contact.refresh_from_db()
    organization = PartnerPage.objects.get(contact_book=contact.book_id)
    audit_record(organization, audit.ANONYMISE, user=by, detail=f"#{contact.pk}")
    return contact


@transaction.atomic
def relationship_add(*, contact, other, kind):
    if other.book_id != contact.book_id or other.pk == contact.pk:
        raise ValidationError(_("Choose another contact of the same organization."))
    if kind not in Relationship.Kind.values:
        raise ValidationError(_("Choose a valid kind of relationship."))
    relationship, _created = Relationship.objects.get_or_create(
        contact=contact, other=other, kind=kind
    )
    return relationship


@transaction.atomic
def segment_create(*, book, name, purpose, channel, tag=None):
    if tag is not None and tag.book_id != book.pk:
        raise ValidationError({"tag": _("Choose one of the organization's tags.")})
    segment = Segment(book=book, name=name, purpose=purpose, channel=channel, tag=tag)
    segment.full_clean()
    segment.save()
    return segment


def export_record(*, book, by, count, purpose, channel):
    """Every export goes in the audit trail: who, how many, for what."""
    organization = PartnerPage.objects.get(contact_book=book.pk)
    audit_record(
        organization,
        audit.EXPORT,
        user=by,
        detail=f"{count} ({purpose}/{channel})",
    )


# --- Personal data --------------------------------------------------------------------------


def personal_data_forget(user, context):
    """The account goes: its CRM roles go, and the organizations' contact rows stop pointing at
    it (they are the organizations' records about a person, not the account's)."""
    for crm_role in CrmRole.objects.filter(user=user).select_related("book"):
        permissions.role_revoke(book=crm_role.book, user_ids=[user.pk])
    CrmRole.objects.filter(user=user).delete()
    ContactBookUserObjectPermission.objects.filter(user=user).delete()
    CrmRole.objects.filter(granted_by=user).update(granted_by=None)
    Contact.objects.filter(user=user).update(user=None)
    Consent.objects.filter(recorded_by=user).update(recorded_by=None)
    Interaction.objects.filter(recorded_by=user).update(recorded_by=None)


def contact_duplicate_of(book, *, name, emails):
    """An existing contact with one of these e-mails, else one with the same name."""
    emails = [e.lower() for e in emails if e]
    query = Q(name_key=name_key(name)) if name_key(name) else Q(pk__in=[])
    if emails:
        found = Contact.objects.filter(book=book, emails__email__in=emails).first()
        if found:
            return found
    return Contact.objects.filter(query, book=book).first()
