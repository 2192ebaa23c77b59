"""Contacts from a CSV file (SinergiaCRM and CiviCRM exports, plain spreadsheets).

The file is read as a stream, a batch of rows at a time, so an organization's 50,000 contacts
take the memory of one batch, not of the file:

1. ``scan`` checks the whole file once when it is uploaded (UTF-8, a header, cells of sane
   size, not too many rows) and returns its header; nothing is stored for a bad file.
2. ``guess_mapping`` proposes a field for each column from its usual name in those exports
   (``ALIASES``); the person confirms or changes it, and may ignore columns.
3. ``process`` carries the rows out in one transaction: each batch is checked, the e-mails
   and names it could match are fetched in one query each, and the new contacts, their
   e-mails, phones and tags are inserted in bulk. The dry run is the same work rolled back, so
   it tells exactly what the import would do; an import with one bad row is rolled back too:
   all or nothing.

A row whose e-mail is already a contact's updates that contact (adds its e-mails, phones and
tags, fills blank fields); a row whose name only matches is created and flagged as a possible
duplicate (the duplicate finder merges them). A row matching a contact that an earlier line of
the same file created or updated is an error: the file says the same twice.
"""

import contextlib
import csv
import io
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_record
from partners.models import PartnerPage

from . import audit, services
from .models import Contact, ContactBook, ContactEmail, ContactPhone, name_key

MAX_CELL = 5000
MAX_ROWS = 100_000
BATCH = 1000
# On PostgreSQL the planner's statistics do not see the rows this transaction inserted; for a
# first import into an empty book it would keep planning the per-batch lookups for empty tables.
# ANALYZE inside the transaction counts them; every this many batches (0: never).
ANALYZE_EVERY = 10
SHOWN = 200  # bad rows and duplicates listed after a run
ALIASES = {
    "name": ("name", "full name", "display name", "display_name", "nombre", "nom"),
    "first_name": ("first name", "first_name", "given name"),
    "last_name": ("last name", "last_name", "surname", "family name", "last_name_c"),
    "kind": ("kind", "contact type", "contact_type", "type"),
    "email": ("email", "e-mail", "email address", "email1", "primary email", "email_address"),
    "email2": ("email2", "other email", "secondary email"),
    "phone": ("phone", "phone number", "phone_mobile", "mobile", "telephone", "phone_home"),
    "phone2": ("phone2", "phone_work", "other phone", "work phone"),
    "address": ("address", "street address", "street_address", "primary_address_street"),
    "language": ("language", "preferred language", "preferred_language", "idioma"),
    "tags": ("tags", "tag", "groups", "etiquetas"),
    "source": ("source", "lead source", "lead_source", "origin"),
}
FIELDS = {
    "name": gettext_lazy("Name"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "kind": gettext_lazy("Kind (person or organization)"),
    "email": gettext_lazy("E-mail"),
    "email2": gettext_lazy("Second e-mail"),
    "phone": gettext_lazy("Phone"),
    "phone2": gettext_lazy("Second phone"),
    "address": gettext_lazy("Address"),
    "language": gettext_lazy("Language"),
    "tags": gettext_lazy("Tags"),
    "source": gettext_lazy("Source"),
}
KINDS = {
    "person": "person",
    "individual": "person",
    "organization": "organization",
    "organisation": "organization",
    "organization_name": "organization",
    "account": "organization",
    "": "person",
}


def _binary(upload):
    stream = getattr(upload, "file", upload)
    stream.seek(0)
    return stream


def _lines(stream):
    """The decoded lines of a binary stream, a chunk at a time; a clear error for a file that
    is not UTF-8 text."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        for line in text:
            if "\x00" in line:
                raise ValidationError(_("The file is not a CSV text file."))
            yield line
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None
    finally:
        with contextlib.suppress(ValueError):  # closed already when the reader was dropped
            text.detach()  # the upload stays open for the next pass


def records(upload):
    """(line number, cells) of every record of the file, streamed."""
    stream = _binary(upload)
    sample = stream.read(8192).decode("utf-8", errors="ignore")
    stream.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(_lines(stream), dialect)
    old_limit = csv.field_size_limit(MAX_CELL)
    count = 0
    try:
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error:
                raise ValidationError(
                    _(
                        "Line %(line)s cannot be read: a cell is longer than %(max)s characters"
                        " or a quote is not closed."
                    )
                    % {"line": reader.line_num, "max": MAX_CELL}
                ) from None
            count += 1
            if count > MAX_ROWS + 1:
                raise ValidationError(
                    _("The file has more than %(max)s rows.") % {"max": MAX_ROWS}
                )
            yield reader.line_num, record
    finally:
        csv.field_size_limit(old_limit)


def scan(upload):
    """Read the whole file once, storing nothing: its header and its number of rows, or a
    ValidationError with a clear message."""
    header, rows = None, 0
    for _line, record in records(upload):
        if header is None:
            header = [cell.strip()[:100] for cell in record]
        elif any(cell.strip() for cell in record):
            rows += 1
    if not header or not any(header):
        raise ValidationError(_("The file is empty."))
    return header, rows


def _normal(title):
    return " ".join(title.strip().lower().split())


def guess_mapping(header, extra=None):
    """The field proposed for each column ("" to ignore it): the usual names in SinergiaCRM,
    CiviCRM and spreadsheets, or a custom field's name (``extra``: {normalised name: key})."""
    lookup = {alias: target for target, names in ALIASES.items() for alias in names}
    lookup.update(extra or {})
    used, mapping = set(), []
    for title in header:
        target = lookup.get(_normal(title), "")
        if target in used:
            target = ""
        used.add(target)
        mapping.append(target)
    return mapping


def check_mapping(mapping):
    chosen = [m for m in mapping if m]
    twice = {m for m in chosen if chosen.count(m) > 1}
    if twice:
        raise ValidationError(_("Each field may be chosen for one column only."))
    if "name" not in chosen and not {"first_name", "last_name"} & set(chosen):
        raise ValidationError(
            _("Choose a column for the name (“Name”, or “First name” and “Last name”).")
        )


@dataclass
class Result:
    rows: int = 0
    counts: dict = field(
        default_factory=lambda: {"create": 0, "update": 0, "duplicate": 0, "error": 0}
    )
    bad_rows: list = field(default_factory=list)  # (line, name, [problems]), the first SHOWN
    duplicates: list = field(default_factory=list)  # (line, name, contact id), the first SHOWN
    ignored_columns: list = field(default_factory=list)
    imported: bool = False
    seconds: float = 0.0

    @property
    def created(self):
        return self.counts["create"] + self.counts["duplicate"]

    @property
    def updated(self):
        return self.counts["update"]

    def report(self, *, dry_run):
        """What the run found, as kept on the import (JSON) for its page to show."""
        return {
            "dry_run": dry_run,
            "imported": self.imported,
            "rows": self.rows,
            "counts": dict(self.counts),
            "bad_rows": [[line, name, list(problems)] for line, name, problems in self.bad_rows],
            "duplicates": [list(entry) for entry in self.duplicates],
            "ignored_columns": list(self.ignored_columns),
        }


@dataclass(eq=False)
class _Row:
    line: int
    values: dict
    emails: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    action: str = "create"
    match_id: int | None = None


def _check(line, record, mapping, custom):
    values = {}
    for index, target in enumerate(mapping):
        if target and index < len(record):
            values[target] = record[index].strip()
    name = values.get("name") or " ".join(
        v for v in (values.get("first_name"), values.get("last_name")) if v
    )
    values["name"] = name
    row = _Row(line=line, values=values)
    if not name:
        row.errors.append(_("no name"))
    if len(name) > 200:
        row.errors.append(_("the name is longer than 200 characters"))
    kind = KINDS.get(values.get("kind", "").lower())
    if kind is None:
        row.errors.append(_("unknown kind “%(kind)s”") % {"kind": values["kind"][:40]})
    values["kind"] = kind or "person"
    try:
        row.emails = services._clean_emails([values.get("email"), values.get("email2")])
    except ValidationError as error:
        row.errors.extend(error.message_dict["emails"])
    try:
        row.phones = services._clean_phones([values.get("phone"), values.get("phone2")])
    except ValidationError as error:
        row.errors.extend(error.message_dict["phones"])
    for key, definition in custom.items():
        if values.get(key):
            try:
                values[key] = definition.parse(values[key])
            except ValidationError as error:
                row.errors.append(f"{definition.name}: {' '.join(error.messages)}")
    return row


def process(book, upload, mapping, *, by=None, dry_run=False, header=None, progress=None):
    """Check every row and import them in one transaction: rolled back for a dry run or when
    a row is bad. Returns what happened (or would), with the first bad rows and duplicates."""
    check_mapping(mapping)
    started = time.monotonic()
    custom = services.custom_fields_for_import(book, mapping)
    result = Result()
    if header is not None:
        result.ignored_columns = [h for h, m in zip(header, mapping, strict=False) if not m]
    with transaction.atomic():
        # One import at a time per book; they would take each other's rows for duplicates.
        ContactBook.objects.select_for_update().filter(pk=book.pk).first()
        batch = _Batch(book, by=by, custom=custom)
        lines = records(upload)
        next(lines, None)  # the header
        chunk = []
        for line, record in lines:
            if not any(cell.strip() for cell in record):
                continue
            chunk.append(_check(line, record, mapping, custom))
            if len(chunk) == BATCH:
                batch.run(chunk, result)
                chunk = []
                if progress:
                    progress(result.rows)
                if ANALYZE_EVERY and result.rows % (BATCH * ANALYZE_EVERY) == BATCH * 2:
                    _analyze()
        if chunk:
            batch.run(chunk, result)
            if progress:
                progress(result.rows)
        result.imported = not dry_run and not result.counts["error"]
        result.seconds = time.monotonic() - started
        if result.imported:
            audit_record(
                PartnerPage.objects.get(contact_book=book.pk),
                audit.IMPORT,
                user=by,
                detail=_("%(created)s created, %(updated)s updated")
                % {"created": result.created, "updated": result.updated},
            )
        else:
            transaction.set_rollback(True)
    return result


# How far a running preview or import is, for its page's progress bar. The import's rows are
# written in one transaction, which nobody else sees until it ends: the count of rows done goes
# through the cache (Redis, shared by the web processes and the worker) instead.
PROGRESS_KEY = "crm.import.{}.progress"
PROGRESS_KEPT = 24 * 3600


def progress_set(import_id, rows):
    cache.set(PROGRESS_KEY.format(import_id), rows, PROGRESS_KEPT)


def progress_get(import_id):
    """Rows checked so far by the running work on this import, or None when unknown."""
    return cache.get(PROGRESS_KEY.format(import_id))


def progress_clear(import_id):
    cache.delete(PROGRESS_KEY.format(import_id))


def _analyze():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Contact, ContactEmail):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class _Batch:
    """The work on one batch of checked rows, in a fixed number of queries."""

    def __init__(self, book, *, by, custom):
        self.book, self.by, self.custom = book, by, custom
        self.now = timezone.now()
        self.first_contact = (
            Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        self.first_email = (
            ContactEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        choices = Contact._meta.get_field("language").choices
        self.languages = {code for code, _label in choices}

    def _earlier(self, email_pk, contact_id, updated_at):
        """Did an earlier line of this file create or update this contact or e-mail?"""
        return (
            email_pk >= self.first_email
            or contact_id >= self.first_contact
            or updated_at >= self.now
        )

    def run(self, rows, result):
        emails = {e for row in rows if not row.errors for e in row.emails}
        found = {}
        for email, email_pk, contact_id, updated_at in ContactEmail.objects.filter(
            contact__book=self.book, email__in=emails
        ).values_list("email", "pk", "contact_id", "contact__updated_at"):
            found[email] = (contact_id, self._earlier(email_pk, contact_id, updated_at))
        seen = {}  # e-mail → line, and contact id → line, within the batch
        keys = {}
        for row in rows:
            if row.errors:
                continue
            for email in row.emails:
                if email in seen:
                    row.errors.append(
                        _("the e-mail %(email)s is also on line %(line)s")
                        % {"email": email, "line": seen[email]}
                    )
                elif email in found and found[email][1]:
                    row.errors.append(
                        _("the e-mail %(email)s is also on an earlier line") % {"email": email}
                    )
                seen.setdefault(email, row.line)
            if row.errors:
                continue
            match = next((found[e][0] for e in row.emails if e in found), None)
            if match is not None:
                if ("contact", match) in seen:
                    row.errors.append(
                        _("the contact is also updated by line %(line)s")
                        % {"line": seen[("contact", match)]}
                    )
                    continue
                seen[("contact", match)] = row.line
                row.action, row.match_id = "update", match
            else:
                keys[row] = name_key(row.values["name"])
        if keys:
            by_name = {}
            for key, pk in (
                Contact.objects.filter(
                    book=self.book, anonymised_at__isnull=True, name_key__in=set(keys.values())
                )
                .order_by("pk")
                .values_list("name_key", "pk")
            ):
                by_name.setdefault(key, pk)
            for row, key in keys.items():
                if key in by_name:
                    row.action, row.match_id = "duplicate", by_name[key]
        for row in rows:
            if row.errors:
                row.action = "error"
            result.rows += 1
            result.counts[row.action] += 1
            if row.errors and len(result.bad_rows) < SHOWN:
                result.bad_rows.append((row.line, row.values.get("name", ""), row.errors))
            if row.action == "duplicate" and len(result.duplicates) < SHOWN:
                result.duplicates.append((row.line, row.values["name"], row.match_id))
        if result.counts["error"]:
            return  # nothing will be kept: checking the rest of the file is all that is left
        self._create([r for r in rows if r.action in ("create", "duplicate")])
        self._update([r for r in rows if r.action == "update"])

    def _custom(self, row, have):
        values = dict(have or {})
        for target, definition in self.custom.items():
            if row.values.get(target) not in (None, ""):
                values[str(definition.pk)] = row.values[target]
        return values

    def _language(self, value):
        language = (value or "").lower()[:2]
        return language if language in self.languages else ""

    def _create(self, rows):
        if not rows:
            return
        contacts = Contact.objects.bulk_create(
            [
                Contact(
                    book=self.book,
                    kind=row.values["kind"],
                    name=row.values["name"],
                    name_key=name_key(row.values["name"]),
                    address=row.values.get("address", "")[:300],
                    language=self._language(row.values.get("language")),
                    source=(row.values.get("source") or _("import"))[:100],
                    custom=self._custom(row, {}),
                )
                for row in rows
            ]
        )
        pairs = list(zip(contacts, rows, strict=True))
        ContactEmail.objects.bulk_create(
            [ContactEmail(contact=c, email=e) for c, row in pairs for e in row.emails]
        )
        ContactPhone.objects.bulk_create(
            [ContactPhone(contact=c, number=p) for c, row in pairs for p in row.phones]
        )
        self._tag([(c.pk, _split(row.values.get("tags"))) for c, row in pairs])

    def _tag(self, tagged):
        names = {n for _pk, ns in tagged for n in ns}
        if not names:
            return
        tags = {t.name: t.pk for t in services._tags(self.book, names)}
        through = Contact.tags.through
        through.objects.bulk_create(
            [through(contact_id=pk, tag_id=tags[n]) for pk, ns in tagged for n in ns if n in tags],
            ignore_conflicts=True,
        )

    def _update(self, rows):
        if not rows:
            return
        contacts = Contact.objects.in_bulk([row.match_id for row in rows])
        have_emails, have_phones = set(), set()
        for pair in ContactEmail.objects.filter(contact__in=contacts).values_list(
            "contact_id", "email"
        ):
            have_emails.add(pair)
        for pair in ContactPhone.objects.filter(contact__in=contacts).values_list(
            "contact_id", "number"
        ):
            have_phones.add(pair)
        new_emails, new_phones = [], []
        for row in rows:
            contact = contacts[row.match_id]
            new_emails += [
                ContactEmail(contact=contact, email=e)
                for e in row.emails
                if (contact.pk, e) not in have_emails
            ]
            new_phones += [
                ContactPhone(contact=contact, number=p)
                for p in row.phones
                if (contact.pk, p) not in have_phones
            ]
            contact.address = contact.address or row.values.get("address", "")[:300]
            contact.language = contact.language or self._language(row.values.get("language"))
            contact.custom = self._custom(row, contact.custom)
            contact.updated_at = self.now
        Contact.objects.bulk_update(
            contacts.values(), ["address", "language", "custom", "updated_at"]
        )
        ContactEmail.objects.bulk_create(new_emails)
        ContactPhone.objects.bulk_create(new_phones)
        self._tag([(row.match_id, _split(row.values.get("tags"))) for row in rows])


def _split(value):
    return [t.strip()[:60] for t in (value or "").replace(";", ",").split(",") if t.strip()]
