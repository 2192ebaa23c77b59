"""Shared resources: what organizations offer or request, when it is available, who booked it.

A ``Listing`` belongs to an organization and is an offer (a room, a van, ten hours of a lawyer's
time) or a request. Offers are booked by time range, one ``unit`` of the listing's quantity per
``Booking``; two holding bookings of the same unit never overlap. On PostgreSQL that is an
exclusion constraint (``0002_booking_no_overlap``, btree_gist); on SQLite, where there is none,
``resources.bookings`` serialises bookings of a listing with a row lock and checks first (it does
that on PostgreSQL too, so a refusal is a clear message rather than an IntegrityError).

Who may do what is one module, ``resources.permissions``; every write is in
``resources.services`` (listings, answers, expiry) or ``resources.bookings``.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

MAX_QUANTITY = 50
# Photos of one listing, the cover (``Listing.photo``) included.
MAX_PHOTOS = 6


class Listing(models.Model):
    """An organization's offer or request of a resource, shown in the directory until it
    expires or is closed."""

    class Type(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class Kind(models.TextChoices):
        ROOM = "room", _("Room or space")
        EQUIPMENT = "equipment", _("Equipment")
        VEHICLE = "vehicle", _("Vehicle")
        VOLUNTEER = "volunteer", _("Volunteer time or skill")
        EXPERTISE = "expertise", _("Professional expertise")

    class Conditions(models.TextChoices):
        FREE = "free", _("Free")
        COST = "cost", _("Cost recovery")
        DEPOSIT = "deposit", _("Deposit")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Public")
        CLUSTER = "cluster", _("The whole cluster")
        PROJECT = "project", _("The partners of one project")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        CLOSED = "closed", _("Closed")

    # Kinds whose bookings are hours given by people: they feed the hours ledger.
    HOUR_KINDS = (Kind.VOLUNTEER, Kind.EXPERTISE)

    organization = models.ForeignKey(
        "partners.PartnerPage",
        on_delete=models.CASCADE,
        related_name="resource_listings",
        verbose_name=_("organization"),
    )
    type = models.CharField(_("offer or request"), max_length=10, choices=Type.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    quantity = models.PositiveSmallIntegerField(
        _("quantity"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)],
        help_text=_("How many identical units can be booked at the same time."),
    )
    region = models.ForeignKey(
        "taxonomy.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(
        _("exact address"),
        max_length=300,
        blank=True,
        help_text=_("Shown only to signed-in members of the cluster's organizations."),
    )
    accessibility = models.TextField(_("accessibility notes"), blank=True, max_length=2000)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(
        _("what the photo shows"),
        max_length=200,
        blank=True,
        help_text=_("For people who cannot see it, e.g. “A bright room with twelve chairs”."),
    )
    conditions = models.CharField(
        _("conditions"), max_length=10, choices=Conditions.choices, default=Conditions.FREE
    )
    conditions_note = models.CharField(
        _("about the conditions"),
        max_length=300,
        blank=True,
        help_text=_("The cost to recover or the deposit asked, for instance."),
    )
    audience = models.CharField(
        _("who can see it"), max_length=10, choices=Audience.choices, default=Audience.CLUSTER
    )
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resource_listings",
    )
    sectors = models.ManyToManyField("taxonomy.Sector", blank=True, verbose_name=_("sectors"))
    sdgs = models.ManyToManyField(
        "taxonomy.SustainableDevelopmentGoal", blank=True, verbose_name=_("SDGs")
    )
    tags = TaggableManager(
        through="resources.ListingTag", blank=True, verbose_name=_("tags"), related_name="+"
    )
    value_per_hour = models.DecimalField(
        _("in-kind value per hour"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "What one hour of it is worth, in euros. Projects it helps are offered this value "
            "as an input of their impact report; leave it empty to state none."
        ),
    )
    auto_approve = models.BooleanField(
        _("approve bookings automatically"),
        default=False,
        help_text=_("Bookings that fit the availability are approved without waiting for you."),
    )
    expires_on = models.DateField(_("expires on"))
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_on"])]
        verbose_name = _("resource listing")
        verbose_name_plural = _("resource listings")

    def __str__(self):
        return self.title

    def clean(self):
        if self.photo_id and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": _("Say what the photo shows, for people who cannot see it.")}
            )
        if self.audience == self.Audience.PROJECT and not self.project_id:
            raise ValidationError(
                {"project": _("Choose the project whose partners may see this listing.")}
            )
        if self.audience != self.Audience.PROJECT:
            self.project = None

    @property
    def is_offer(self):
        return self.type == self.Type.OFFER

    @property
    def is_expired(self):
        return self.expires_on < timezone.localdate()

    @property
    def is_active(self):
        return self.status == self.Status.OPEN and not self.is_expired

    @property
    def gives_hours(self):
        return self.kind in self.HOUR_KINDS

    @property
    def photo_descriptions(self):
        """What each photo shows, the cover first (for the editors' inspect screen)."""
        alts = [self.photo_alt] if self.photo_id else []
        alts += [extra.alt for extra in self.extra_photos.all()]
        return "; ".join(alts) or "-"

    photo_descriptions.fget.short_description = _("photos")


class ListingTag(TaggedItemBase):
    content_object = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="tagged_items"
    )


class ListingPhoto(models.Model):
    """A further photo of a listing, after its cover (``Listing.photo``), in ``sort_order``.

    The cover is what the directory shows; a listing has at most ``MAX_PHOTOS`` with it."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="extra_photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    alt = models.CharField(
        _("what the photo shows"),
        max_length=200,
        help_text=_("For people who cannot see it, e.g. “A bright room with twelve chairs”."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt

    def clean(self):
        if not self.alt.strip():
            raise ValidationError(
                {"alt": _("Say what the photo shows, for people who cannot see it.")}
            )


class AvailabilityRule(models.Model):
    """A weekly window when an offer can be booked; an offer without any is always available."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="resources_rule_ends_after_start"
            )
        ]
        verbose_name = _("availability window")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class BlockedDate(models.Model):
    """A day on which an offer cannot be booked (a holiday, maintenance)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="blocked_dates")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "date"], name="resources_blocked_once")
        ]
        verbose_name = _("blocked date")

    def __str__(self):
        return f"{self.date:%Y-%m-%d}"


class BookingSeries(models.Model):
    """A weekly recurring booking: the bookings it made and the dates it skipped, with why."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="series")
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurrences = models.PositiveSmallIntegerField()
    # [{"date": "2027-01-12", "reason": "conflict" | "blocked" | "unavailable"}]
    skipped = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")


class Booking(models.Model):
    """One unit of an offer for a time range, asked for by an organization.

    ``pending``, ``approved`` and ``checked_out`` bookings hold their unit: no two of them
    overlap on the same unit (a database constraint on PostgreSQL).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        CHECKED_OUT = "checked_out", _("Checked out")
        RETURNED = "returned", _("Returned")
        NO_SHOW = "no_show", _("No-show")

    HOLDING = (Status.PENDING, Status.APPROVED, Status.CHECKED_OUT)

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="bookings")
    unit = models.PositiveSmallIntegerField(_("unit"), default=1)
    organization = models.ForeignKey(
        "partners.PartnerPage",
        on_delete=models.CASCADE,
        related_name="resource_bookings",
        verbose_name=_("for organization"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="resource_bookings",
    )
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("for project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The project it is for, if any: its impact report may count it."),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checkout_condition = models.CharField(
        _("condition when handed over"), max_length=500, blank=True
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_condition = models.CharField(_("condition when returned"), max_length=500, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["listing", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="resources_booking_ends_after_start"
            )
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self):
        return f"{self.listing} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self):
        return (self.ends_at - self.starts_at) / timedelta(hours=1)

    @property
    def holds(self):
        return self.status in self.HOLDING


class Answer(models.Model):
    """Another organization's answer to a request, optionally pointing at one of its offers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not chosen")

    request = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="answers")
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    offer = models.ForeignKey(
        Listing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered",
        verbose_name=_("one of your offers"),
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organization"], name="resources_one_answer_per_org"
            )
        ]
        verbose_name = _("answer")


class HoursEntry(models.Model):
    """Hours of volunteer time or expertise one organization gave another (the ledger)."""

    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="hours_entry"
    )
    giver = models.ForeignKey("partners.PartnerPage", on_delete=models.CASCADE, related_name="+")
    receiver = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("for project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=20, choices=Listing.Kind.choices)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("hours given")
        verbose_name_plural = _("hours given")
