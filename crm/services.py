"""Every write of the CRM: roles, contacts, the consent ledger, interactions, merging,
anonymising and forgetting. Views check access (``crm.permissions``) and call one of these."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone, translation
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
    ContactImport,
    ContactPhone,
    CrmRole,
    CustomField,
    Interaction,
    Relationship,
    Segment,
    Tag,
    name_key,
)

ANONYMISED_NAME = "—"

logger = logging.getLogger(__name__)


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


def _custom_values(book, values, have=None):
    """``have`` with ``values`` ({field id: value or blank}) checked against the book's custom
    fields; a blank value removes it."""
    result = dict(have or {})
    if not values:
        return result
    definitions = {f.key: f for f in CustomField.objects.filter(book=book)}
    for key, value in values.items():
        definition = definitions.get(str(key))
        if definition is None:
            raise ValidationError({"custom": _("Unknown custom field.")})
        if value in (None, ""):
            result.pop(definition.key, None)
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        try:
            result[definition.key] = definition.parse(str(value))
        except ValidationError as error:
            raise ValidationError({f"cf{definition.pk}": error.messages}) from None
    return result


@transaction.atomic
def contact_create(*, book, by=None, emails=(), phones=(), tags=(), custom=None, **fields):
    fields["roles"] = _check_roles(fields.get("roles"))
    emails, phones = _clean_emails(emails), _clean_phones(phones)
    contact = Contact(
        book=book,
        custom=_custom_values(book, custom),
        **{k: v for k, v in fields.items() if k in (*CONTACT_FIELDS, "user")},
    )
    contact.full_clean(exclude=["name_key"])
    contact.save()
    ContactEmail.objects.bulk_create([ContactEmail(contact=contact, email=e) for e in emails])
    ContactPhone.objects.bulk_create([ContactPhone(contact=contact, number=p) for p in phones])
    contact.tags.set(_tags(book, tags))
    return contact


def _check_account(contact, user_id):
    """Only an account whose confirmed e-mail is one of the contact's may be linked (or the
    one it is linked to already)."""
    from .selectors import linkable_accounts

    emails = ContactEmail.objects.filter(contact=contact).values_list("email", flat=True)
    if user_id is not None and user_id not in dict(linkable_accounts(contact, list(emails))):
        raise ValidationError(
            {"account": _("Only an account whose confirmed e-mail is the contact's.")}
        )


@transaction.atomic
def contact_update(
    *, contact, by=None, emails=None, phones=None, tags=None, custom=None, **fields
):
    if contact.anonymised_at:
        raise ValidationError(_("This contact was anonymised and can no longer be changed."))
    if custom is not None:
        contact.custom = _custom_values(contact.book, custom, contact.custom)
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
    if "user_id" in fields and fields["user_id"] != contact.user_id:
        _check_account(contact, fields["user_id"])
        contact.user_id = fields["user_id"]
        contact.save(update_fields=["user"])
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
    keep.custom = {**(other.custom or {}), **(keep.custom or {})}
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


def _anonymise(ids):
    """Blank everything that names these contacts, in a fixed number of queries."""
    ContactEmail.objects.filter(contact__in=ids).delete()
    ContactPhone.objects.filter(contact__in=ids).delete()
    Contact.tags.through.objects.filter(contact_id__in=ids).delete()
    Relationship.objects.filter(Q(contact__in=ids) | Q(other__in=ids)).delete()
    Interaction.objects.filter(contact__in=ids).update(summary="", recorded_by=None)
    Consent.objects.filter(contact__in=ids).update(method="", recorded_by=None)
    return Contact.objects.filter(pk__in=ids).update(
        name=ANONYMISED_NAME,
        name_key="",
        address="",
        notes="",
        source="",
        custom={},
        user=None,
        anonymised_at=timezone.now(),
    )


@transaction.atomic
def contact_anonymise(*, contact, by=None):
    """Blank everything that names the contact; the consent ledger (which names no one) and
    the dates of the timeline stay, so the figures and the proof of withdrawal remain."""
    _anonymise([contact.pk])
    contact.refresh_from_db()
    organization = PartnerPage.objects.get(contact_book=contact.book_id)
    audit_record(organization, audit.ANONYMISE, user=by, detail=f"#{contact.pk}")
    return contact


BULK_ANONYMISE_MAX = 500


@transaction.atomic
def contacts_anonymise_retained(*, book, ids, by=None, years):
    """Anonymise the chosen contacts of the retention list at once (only those still on it:
    a contact who was in touch since is left alone), with one audit entry and its count."""
    from . import selectors

    ids = list(ids)[:BULK_ANONYMISE_MAX]
    chosen = list(
        selectors.retention_candidates(book, years=years)
        .filter(pk__in=ids)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not chosen:
        return 0
    count = _anonymise(chosen)
    organization = PartnerPage.objects.get(contact_book=book.pk)
    audit_record(organization, audit.ANONYMISE_BULK, user=by, detail=str(count), count=count)
    return count


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


def export_record(*, book, by, count, purpose, channel, columns=()):
    """Every export goes in the audit trail: who, how many, for what, and which sensitive
    columns were chosen."""
    organization = PartnerPage.objects.get(contact_book=book.pk)
    detail = f"{count} ({purpose}/{channel})"
    if columns:
        detail += " + " + ", ".join(columns)
    audit_record(organization, audit.EXPORT, user=by, detail=detail)


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
    ContactImport.objects.filter(by=user).update(by=None)


def contact_duplicate_of(book, *, name, emails):
    """An existing contact with one of these e-mails, else one with the same name."""
    emails = [e.lower() for e in emails if e]
    query = Q(name_key=name_key(name)) if name_key(name) else Q(pk__in=[])
    if emails:
        found = Contact.objects.filter(book=book, emails__email__in=emails).first()
        if found:
            return found
    return Contact.objects.filter(query, book=book).first()


# --- Custom fields --------------------------------------------------------------------------


@transaction.atomic
def custom_field_create(*, book, name, kind, choices=(), sensitive=False):
    ContactBook.objects.select_for_update().filter(pk=book.pk).first()
    if CustomField.objects.filter(book=book).count() >= CustomField.MAX_PER_BOOK:
        raise ValidationError(
            _("An organization may have %(max)s custom fields at most.")
            % {"max": CustomField.MAX_PER_BOOK}
        )
    name = " ".join(name.split())
    if CustomField.objects.filter(book=book, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a custom field with this name.")})
    if kind == CustomField.Kind.CHOICE and not choices:
        raise ValidationError({"choices": _("Give at least one choice.")})
    definition = CustomField(
        book=book,
        name=name,
        kind=kind,
        choices=list(choices) if kind == CustomField.Kind.CHOICE else [],
        sensitive=sensitive,
    )
    definition.full_clean()
    definition.save()
    return definition


@transaction.atomic
def custom_field_delete(*, definition):
    """The field and every contact's value for it go."""
    rows = Contact.objects.filter(book=definition.book_id, custom__has_key=definition.key)
    batch = []
    for contact in rows.only("pk", "custom").iterator(chunk_size=1000):
        contact.custom.pop(definition.key, None)
        batch.append(contact)
        if len(batch) == 1000:
            Contact.objects.bulk_update(batch, ["custom"])
            batch = []
    Contact.objects.bulk_update(batch, ["custom"])
    definition.delete()


# --- Import ---------------------------------------------------------------------------------

IMPORT_KEPT = timedelta(days=1)  # an upload nobody mapped is deleted after this


def custom_fields_for_import(book, mapping):
    """{mapping target: custom field} for the custom-field columns of a mapping."""
    ids = [int(m[3:]) for m in mapping if m.startswith("cf:") and m[3:].isdigit()]
    fields = {f.pk: f for f in CustomField.objects.filter(book=book, pk__in=ids)}
    return {f"cf:{pk}": fields[pk] for pk in ids if pk in fields}


def import_upload(*, book, by, upload):
    """Check the whole file (nothing is kept if it is bad) and keep it, privately, until the
    person has mapped its columns; the import log starts here."""
    from . import imports

    header, rows = imports.scan(upload)
    imports_discard_stale(book=book)
    name = default_storage.save(f"documents/crm-imports/{uuid.uuid4().hex}.csv", upload)
    extra = {" ".join(f.name.lower().split()): f"cf:{f.pk}" for f in book.custom_fields.all()}
    return ContactImport.objects.create(
        book=book,
        by=by,
        file=name,
        file_name=(getattr(upload, "name", "") or "contacts.csv")[:200],
        header=header,
        mapping=imports.guess_mapping(header, extra),
        rows=rows,
    )


def imports_discard_stale(*, book):
    for pending in ContactImport.objects.filter(
        book=book,
        status=ContactImport.Status.PENDING,
        created_at__lt=timezone.now() - IMPORT_KEPT,
    ):
        import_discard(contact_import=pending)


def import_discard(*, contact_import):
    if contact_import.file:
        default_storage.delete(contact_import.file)
    contact_import.delete()


IMPORT_STALLED = timedelta(hours=2)  # a run this old whose worker is gone may be discarded


def import_start(*, contact_import, mapping, by, dry_run):
    """Queue the preview (``dry_run``) or the import of a pending upload with the person's
    column mapping; the work runs in the background (``crm.tasks``). The same file is never
    imported twice, nor checked twice at once, even by two requests at once."""
    from . import imports
    from .tasks import contact_import_run_task

    imports.check_mapping(mapping)
    with transaction.atomic():
        started = ContactImport.objects.filter(
            pk=contact_import.pk, status=ContactImport.Status.PENDING
        ).update(
            status=ContactImport.Status.RUNNING,
            mapping=mapping,
            dry_run=dry_run,
            by=by,
            started_at=timezone.now(),
        )
        if not started:
            raise ValidationError(_("This file was already imported, or is being checked."))
        imports.progress_set(contact_import.pk, 0)
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(
            lambda: contact_import_run_task.enqueue(contact_import.pk, language), robust=True
        )
    contact_import.refresh_from_db()
    return contact_import


def import_run(*, import_id):
    """The background work of a queued preview or import: every row checked, and for an
    import, everything imported in one transaction or nothing. A preview, or an import with a
    bad row, leaves the upload waiting again with what was found (``report``); an import that
    went through is logged (counts, who, when, how long) and its file deleted. A failure
    half-way imports nothing and says so on the import page."""
    from . import imports

    try:
        with transaction.atomic():
            running = (
                ContactImport.objects.select_for_update(of=("self",))
                .filter(pk=import_id, status=ContactImport.Status.RUNNING)
                .select_related("book", "by")
                .first()
            )
            if running is None:
                return None
            with default_storage.open(running.file, "rb") as upload:
                result = imports.process(
                    running.book,
                    upload,
                    running.mapping,
                    by=running.by,
                    dry_run=running.dry_run,
                    header=running.header,
                    progress=lambda rows: imports.progress_set(import_id, rows),
                )
            report = result.report(dry_run=running.dry_run)
            if not result.imported:
                ContactImport.objects.filter(pk=import_id).update(
                    status=ContactImport.Status.PENDING, report=report
                )
                return report
            name = running.file
            # The log keeps the figures, not the names of the file's people: those live on in
            # the contacts, where anonymising and forgetting reach them.
            report = {k: v for k, v in report.items() if k not in ("bad_rows", "duplicates")}
            ContactImport.objects.filter(pk=import_id).update(
                status=ContactImport.Status.DONE,
                file="",
                report=report,
                created=result.created,
                updated=result.counts["update"],
                flagged=result.counts["duplicate"],
                seconds=round(result.seconds, 1),
                finished_at=timezone.now(),
            )
            transaction.on_commit(lambda: default_storage.delete(name))
            return report
    except Exception as error:
        if isinstance(error, ValidationError):
            message = " ".join(error.messages)
        else:
            logger.exception("Contact import %s stopped", import_id)
            message = _("The work stopped because of an error on the server.")
        report = {"error": message + " " + _("Nothing was imported.")}
        ContactImport.objects.filter(pk=import_id, status=ContactImport.Status.RUNNING).update(
            status=ContactImport.Status.PENDING, report=report
        )
        return report
    finally:
        imports.progress_clear(import_id)
