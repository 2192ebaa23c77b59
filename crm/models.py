"""An organization's private contacts: people and organizations of its social base, their
consent per purpose and channel, and what happened with them.

Everything hangs from one ``ContactBook`` per organization; the book carries the guardian object
permissions (``view_contacts``, ``change_contacts``, ``export_contacts``) that the CRM roles give
(``crm.permissions``). No other organization, and no editor of the portal, ever holds them.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.validators import SingleLineFieldsMixin


def name_key(name):
    """The form of a name used to spot duplicates: no accents, case, punctuation or order."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(re.sub(r"[\W_]+", " ", bare).split()))


class ContactBook(models.Model):
    """The CRM of one organization: what its contacts, roles and permissions hang from."""

    organization = models.OneToOneField(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="contact_book"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact book")
        permissions = [
            ("view_contacts", _("Can see the organization's contacts")),
            ("change_contacts", _("Can add and change the organization's contacts")),
            ("export_contacts", _("Can export the organization's contacts")),
        ]

    def __str__(self):
        return f"Contacts of {self.organization_id}"


class ContactBookUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ContactBook, on_delete=models.CASCADE)


class ContactBookGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ContactBook, on_delete=models.CASCADE)


class CrmRole(models.Model):
    """A member's role in their organization's CRM; the source of truth for its permissions."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Viewer")
        EDITOR = "editor", _("Editor")
        EXPORTER = "exporter", _("Exporter")

    book = models.ForeignKey(ContactBook, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crm_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["book", "user"], name="crm_unique_role")]
        ordering = ["book_id", "user_id"]
        verbose_name = _("CRM role")

    def __str__(self):
        return f"{self.user_id} @ {self.book_id}: {self.role}"


class Tag(models.Model):
    book = models.ForeignKey(ContactBook, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["book", "name"], name="crm_unique_tag")]
        ordering = ["name"]

    def __str__(self):
        return self.name


class Contact(SingleLineFieldsMixin, models.Model):
    """A person or an organization of the social base. Anonymising blanks what names them and
    keeps the row (and its consent history, which names no one) for the figures."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        DONOR = "donor", _("Donor")
        VOLUNTEER = "volunteer", _("Volunteer")
        BENEFICIARY = "beneficiary", _("Beneficiary")
        PARTNER_CONTACT = "partner_contact", _("Partner contact")

    book = models.ForeignKey(ContactBook, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    language = models.CharField(
        _("language"), max_length=7, choices=settings.LANGUAGES, blank=True
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts", verbose_name=_("tags"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_contacts",
    )
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    multi_line_fields = ("notes",)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["book", "name"], name="crm_contact_name_idx"),
            models.Index(fields=["book", "last_contact_at"], name="crm_contact_last_idx"),
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.name_key = name_key(self.name)


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(_("e-mail"))
    label = models.CharField(_("label"), max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["email"], name="crm_email_idx")]

    def __str__(self):
        return self.email


class ContactPhone(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone"), max_length=40)
    label = models.CharField(_("label"), max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.number


class Consent(models.Model):
    """One entry of the append-only consent ledger: the state of a contact's consent for one
    purpose on one channel from ``recorded_at`` on. The current state is the latest entry;
    withdrawing adds an entry, nothing is ever changed or deleted (merging moves entries)."""

    class Purpose(models.TextChoices):
        NEWSLETTER = "newsletter", _("Newsletter and news")
        FUNDRAISING = "fundraising", _("Fundraising")
        EVENTS = "events", _("Events and activities")
        VOLUNTEERING = "volunteering", _("Volunteering")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        SMS = "sms", _("SMS")
        POST = "post", _("Post")

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NOT_ASKED = "not_asked", _("Not asked")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Consent")
        CONTRACT = "contract", _("Contract")
        LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
        LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=Basis.choices, default=Basis.CONSENT
    )
    recorded_at = models.DateTimeField(_("when"))
    method = models.CharField(_("how"), max_length=200, blank=True)
    notice_version = models.CharField(_("notice version"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(
                fields=["contact", "purpose", "channel", "-recorded_at"], name="crm_consent_idx"
            )
        ]
        verbose_name = _("consent")

    def __str__(self):
        return f"{self.contact_id} {self.purpose}/{self.channel}: {self.status}"


class Interaction(models.Model):
    """Something that happened with a contact: a call, a meeting, an event, a gift in kind."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EVENT = "event", _("Event")
        GIFT = "gift", _("Gift in kind")
        EMAIL = "email", _("E-mail")
        OTHER = "other", _("Other")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    happened_at = models.DateTimeField(_("when"))
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        verbose_name = _("interaction")

    def __str__(self):
        return f"{self.kind} {self.happened_at:%Y-%m-%d}"


class Segment(models.Model):
    """A saved filter for a mailing: contacts with a tag (or any) whose consent, as it stands
    when the segment is opened, covers its purpose on its channel. Never stored as a list of
    contacts, so a withdrawal takes effect at once."""

    book = models.ForeignKey(ContactBook, on_delete=models.CASCADE, related_name="segments")
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Consent.Purpose.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Consent.Channel.choices)
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("segment")

    def __str__(self):
        return self.name


class Relationship(models.Model):
    """Two contacts of the same book tied together: a household, or a person who works for an
    organization. Read both ways."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Same household")
        WORKS_FOR = "works_for", _("Works for")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "other", "kind"], name="crm_unique_relationship"
            )
        ]
        ordering = ["pk"]
        verbose_name = _("relationship")

    def __str__(self):
        return f"{self.contact_id} {self.kind} {self.other_id}"


class CustomField(models.Model):
    """A field an organization adds to its contacts (text, number, date or one of a list).
    Values live in ``Contact.custom`` under the field's id, as JSON (a date as ISO text)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("One of a list")

    MAX_PER_BOOK = 20

    book = models.ForeignKey(ContactBook, on_delete=models.CASCADE, related_name="custom_fields")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Left out of exports unless the person exporting chooses it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["book", "name"], name="crm_unique_custom_field")
        ]
        ordering = ["name", "pk"]
        verbose_name = _("custom field")

    def __str__(self):
        return self.name

    @property
    def key(self):
        return str(self.pk)

    def parse(self, text):
        """The stored value of ``text`` typed for this field, or a ValidationError."""
        text = " ".join(str(text).split())
        if self.kind == self.Kind.NUMBER:
            try:
                number = Decimal(text.replace(",", "."))
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite() or abs(number) >= 10**12:
                raise ValidationError(_("“%(value)s” is not a number.") % {"value": text[:40]})
            return int(number) if number == number.to_integral_value() else float(number)
        if self.kind == self.Kind.DATE:
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]}
                ) from None
        if self.kind == self.Kind.CHOICE:
            match = next((c for c in self.choices if c.casefold() == text.casefold()), None)
            if match is None:
                raise ValidationError(
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": text[:40], "choices": ", ".join(self.choices)}
                )
            return match
        if len(text) > 500:
            raise ValidationError(_("The text is longer than 500 characters."))
        return text

    def display(self, value):
        if value in (None, ""):
            return ""
        if self.kind == self.Kind.DATE:
            try:
                return date.fromisoformat(value)
            except (TypeError, ValueError):
                return value
        return value


class ContactImport(models.Model):
    """One CSV import: the uploaded file while it waits for its column mapping, then the log
    of what it did (who, when, how many rows created, updated and flagged, how long).

    The preview and the import run as background work (``crm.tasks``): the row is *running*
    meanwhile, and ``report`` keeps what the last preview or refused import found (counts, bad
    rows, duplicates) for the import page to show."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the column mapping")
        RUNNING = "running", _("Being checked or imported")
        DONE = "done", _("Imported")

    book = models.ForeignKey(ContactBook, on_delete=models.CASCADE, related_name="imports")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.CharField(max_length=200, blank=True)  # its name in the default storage
    file_name = models.CharField(_("file"), max_length=200)
    header = models.JSONField(default=list)
    mapping = models.JSONField(default=list)
    dry_run = models.BooleanField(default=False)  # the running (or last) work is a preview
    report = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    flagged = models.PositiveIntegerField(_("flagged as duplicates"), default=0)
    seconds = models.FloatField(_("duration"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact import")

    def __str__(self):
        return f"{self.file_name} ({self.status})"
