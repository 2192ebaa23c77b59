"""Contacts from a CSV file (SinergiaCRM and CiviCRM exports, plain spreadsheets): read, check
every row (the dry run), then create or update all of them in one transaction, or none.

Columns are recognised by their usual names in those exports (``ALIASES``); other columns are
ignored and listed. A row whose e-mail is already a contact's updates that contact; a row whose
name only matches is created and flagged as a possible duplicate (the duplicate finder merges
them).
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from partners.models import PartnerPage

from . import audit, services
from .models import Contact, ContactEmail, name_key

MAX_CELL = 5000
MAX_ROWS = 100_000
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
KINDS = {
    "person": "person",
    "individual": "person",
    "organization": "organization",
    "organisation": "organization",
    "organization_name": "organization",
    "account": "organization",
    "": "person",
}


@dataclass
class Row:
    line: int
    values: dict
    action: str = "create"  # create | update | duplicate | error
    errors: list = field(default_factory=list)
    match_id: int | None = None


@dataclass
class Plan:
    rows: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)

    @property
    def errors(self):
        return [r for r in self.rows if r.errors]

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)


def read(upload):
    """Decode and split the file; a ValidationError with a clear message if it cannot be."""
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None
    if "\x00" in text:
        raise ValidationError(_("The file is not a CSV text file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    old_limit = csv.field_size_limit(MAX_CELL)
    try:
        rows = []
        for record in reader:
            rows.append(record)
            if len(rows) > MAX_ROWS + 1:
                raise ValidationError(
                    _("The file has more than %(max)s rows.") % {"max": MAX_ROWS}
                )
    except csv.Error:
        raise ValidationError(
            _(
                "Line %(line)s cannot be read: a cell is longer than %(max)s characters or a "
                "quote is not closed."
            )
            % {"line": reader.line_num, "max": MAX_CELL}
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    if not rows:
        raise ValidationError(_("The file is empty."))
    return rows


def _columns(header):
    mapping, ignored = {}, []
    lookup = {alias: target for target, names in ALIASES.items() for alias in names}
    for index, title in enumerate(header):
        target = lookup.get(" ".join(title.strip().lower().split()))
        if target and target not in mapping:
            mapping[target] = index
        else:
            ignored.append(title)
    if "name" not in mapping and not {"first_name", "last_name"} & set(mapping):
        raise ValidationError(
            _("The file has no name column (“name”, or “first name” and “last name”).")
        )
    return mapping, ignored


def plan(book, upload):
    """The dry run: what each row would do, and every row's problems. Stores nothing."""
    records = read(upload)
    mapping, ignored = _columns(records[0])
    by_email = dict(
        ContactEmail.objects.filter(contact__book=book).values_list("email", "contact_id")
    )
    by_name = dict(
        Contact.objects.filter(book=book, anonymised_at__isnull=True).values_list("name_key", "pk")
    )
    seen_emails = {}
    result = Plan(ignored_columns=ignored)
    for line, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        values = {k: (record[i].strip() if i < len(record) else "") for k, i in mapping.items()}
        name = values.get("name") or " ".join(
            v for v in (values.get("first_name"), values.get("last_name")) if v
        )
        row = Row(line=line, values={**values, "name": name})
        if not name:
            row.errors.append(_("no name"))
        if len(name) > 200:
            row.errors.append(_("the name is longer than 200 characters"))
        kind = KINDS.get(values.get("kind", "").lower())
        if kind is None:
            row.errors.append(_("unknown kind “%(kind)s”") % {"kind": values["kind"][:40]})
        row.values["kind"] = kind or "person"
        emails = [e for e in (values.get("email"), values.get("email2")) if e]
        try:
            row.values["emails"] = services._clean_emails(emails)
        except ValidationError as error:
            row.errors.extend(error.message_dict["emails"])
            row.values["emails"] = []
        try:
            row.values["phones"] = services._clean_phones(
                [p for p in (values.get("phone"), values.get("phone2")) if p]
            )
        except ValidationError as error:
            row.errors.extend(error.message_dict["phones"])
        for email in row.values["emails"]:
            if email in seen_emails:
                row.errors.append(
                    _("the e-mail %(email)s is also on line %(line)s")
                    % {"email": email, "line": seen_emails[email]}
                )
            seen_emails.setdefault(email, line)
        if row.errors:
            row.action = "error"
        elif match := next((by_email[e] for e in row.values["emails"] if e in by_email), None):
            row.action, row.match_id = "update", match
        elif (key := name_key(name)) in by_name:
            row.action, row.match_id = "duplicate", by_name[key]
        result.rows.append(row)
    return result


BATCH = 1000


@transaction.atomic
def run(book, the_plan, *, by):
    """Carry the plan out, all or nothing; refuse a plan with an error."""
    if the_plan.errors:
        raise ValidationError(_("Some rows have errors: nothing was imported."))
    languages = {code for code, _label in Contact._meta.get_field("language").choices}
    created = updated = 0
    for start in range(0, len(the_plan.rows), BATCH):
        chunk = the_plan.rows[start : start + BATCH]
        new = []
        for row in chunk:
            v = row.values
            language = v.get("language", "").lower()[:2]
            if row.action == "update":
                contact = Contact.objects.get(pk=row.match_id, book=book)
                services.contact_update(
                    contact=contact,
                    by=by,
                    emails=[*contact.emails.values_list("email", flat=True), *v["emails"]],
                    phones=[*contact.phones.values_list("number", flat=True), *v["phones"]],
                    tags=[*contact.tags.values_list("name", flat=True), *_split(v.get("tags"))],
                    address=contact.address or v.get("address", "")[:300],
                )
                updated += 1
                continue
            contact = Contact(
                book=book,
                kind=v["kind"],
                name=v["name"],
                name_key=name_key(v["name"]),
                address=v.get("address", "")[:300],
                language=language if language in languages else "",
                source=(v.get("source") or _("import"))[:100],
            )
            new.append((contact, row))
        Contact.objects.bulk_create([c for c, _row in new])
        ContactEmail.objects.bulk_create(
            [ContactEmail(contact=c, email=e) for c, row in new for e in row.values["emails"]]
        )
        from .models import ContactPhone

        ContactPhone.objects.bulk_create(
            [ContactPhone(contact=c, number=p) for c, row in new for p in row.values["phones"]]
        )
        tagged = [(c, _split(row.values.get("tags"))) for c, row in new]
        names = {n for _c, ns in tagged for n in ns}
        if names:
            tags = {t.name: t for t in services._tags(book, names)}
            through = Contact.tags.through
            through.objects.bulk_create(
                [through(contact_id=c.pk, tag_id=tags[n].pk) for c, ns in tagged for n in ns],
                ignore_conflicts=True,
            )
        created += len(new)
    organization = PartnerPage.objects.get(contact_book=book.pk)
    audit_record(
        organization,
        audit.IMPORT,
        user=by,
        detail=_("%(created)s created, %(updated)s updated")
        % {"created": created, "updated": updated},
    )
    return created, updated


def _split(value):
    return [t.strip()[:60] for t in (value or "").replace(";", ",").split(",") if t.strip()]
