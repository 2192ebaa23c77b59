"""Cluster opportunities: funding calls, partner-search posts, events with one-to-one meetings.

- ``FundingCall``: a call for funding (funder, programme, deadline, who may apply). Editors
  publish calls in the Wagtail admin; members propose them and an editor reviews the proposal.
  A call whose deadline has passed is archived (still readable, out of the open board).
- ``PartnerSearch``: an organization offers itself as, or seeks, a partner for a purpose, until
  its expiry date. Reviewed by editors before it is listed.
- ``Event``: a cluster event with a capacity (``EventRegistration`` beyond it waits) and
  ``MeetingSlot``s for pre-arranged one-to-one meetings. A ``MeetingRequest`` holds one
  ``MeetingSeat`` per organization in its slot; ``(slot, organization)`` is unique, so the
  database itself refuses a double booking, whoever asks at the same moment.

Who may do what is ``opportunities.permissions``; every write is in ``opportunities.services``.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from partners import capabilities
from partners.models import PartnerPage

ORGANIZATION_KINDS = PartnerPage.Kind.choices


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class FundingCall(ClusterableModel):
    """A call for funding on the board at /opportunities/calls/."""

    class Funder(models.TextChoices):
        EU = "eu", _("European Union")
        STATE = "state", _("State")
        GENERALITAT = "generalitat", _("Generalitat de Catalunya")
        DIPUTACIO = "diputacio", _("Diputació")
        LOCAL = "local", _("Local council")
        FOUNDATION = "foundation", _("Private foundation")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    funder_type = models.CharField(_("kind of funder"), max_length=12, choices=Funder.choices)
    funder = models.CharField(_("funder"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), max_length=3000, blank=True)
    deadline = models.DateField(_("deadline"))
    amount = models.DecimalField(
        _("maximum amount (EUR)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cofunding = models.PositiveSmallIntegerField(
        _("co-funding required (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    link = models.URLField(_("link to the call"), blank=True)
    regions = ParentalManyToManyField("taxonomy.Region", blank=True, verbose_name=_("regions"))
    sectors = ParentalManyToManyField("taxonomy.Sector", blank=True, verbose_name=_("sectors"))
    sdgs = ParentalManyToManyField(
        "taxonomy.SustainableDevelopmentGoal", blank=True, verbose_name=_("SDGs")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("funder_type"), FieldPanel("funder")]),
        FieldPanel("programme"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("deadline"), FieldPanel("amount"), FieldPanel("cofunding")]),
        FieldPanel("link"),
        InlinePanel("eligible_kinds", heading=_("Eligible kinds of organization")),
        MultiFieldPanel(
            [FieldPanel("regions"), FieldPanel("sectors"), FieldPanel("sdgs")],
            heading=_("Where and what"),
        ),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")

    def __str__(self):
        return self.title

    @property
    def is_archived(self):
        return self.deadline < timezone.localdate()


class CallEligibleKind(models.Model):
    """One kind of organization that may apply to a call (a row each, so the board filters)."""

    call = ParentalKey(FundingCall, on_delete=models.CASCADE, related_name="eligible_kinds")
    kind = models.CharField(_("kind"), max_length=20, choices=ORGANIZATION_KINDS)

    panels = [FieldPanel("kind")]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="opportunities_call_kind_once")
        ]

    def __str__(self):
        return self.get_kind_display()


def _service_choices():
    # Retired services too (marked), so an editor keeps the one a post already names.
    return [("", "---------"), *capabilities.choices("service", retired=True)]


class PartnerSearch(models.Model):
    """An organization's "looking for partners" post, listed until it expires."""

    class Direction(models.TextChoices):
        SEEK = "seek", _("Seeks a partner")
        OFFER = "offer", _("Offers to be a partner")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        "partners.PartnerPage",
        on_delete=models.CASCADE,
        related_name="partner_searches",
        verbose_name=_("organization"),
    )
    direction = models.CharField(_("offer or seek"), max_length=5, choices=Direction.choices)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=3000)
    partner_kind = models.CharField(
        _("kind of partner"), max_length=20, choices=ORGANIZATION_KINDS, blank=True
    )
    capability = models.CharField(_("capability"), max_length=200, blank=True)
    # The code of one of the capability profile's services (``partners.CapabilityTerm``):
    # matched to the organizations that give it.
    service = models.CharField(_("service"), max_length=30, blank=True)
    sector = models.ForeignKey(
        "taxonomy.Sector",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sector"),
    )
    region = models.ForeignKey(
        "taxonomy.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("region"),
    )
    call = models.ForeignKey(
        FundingCall,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_searches",
        verbose_name=_("funding call"),
    )
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("organization", read_only=True),
        FieldPanel("direction"),
        FieldPanel("title"),
        FieldPanel("purpose"),
        FieldRowPanel([FieldPanel("partner_kind"), FieldPanel("capability")]),
        FieldRowPanel(
            [
                FieldPanel(
                    "service",
                    widget=forms.Select(choices=_service_choices),
                ),
                FieldPanel("sector"),
                FieldPanel("region"),
            ]
        ),
        FieldPanel("expires_on"),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_on"])]
        verbose_name = _("partner-search post")
        verbose_name_plural = _("partner-search posts")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.service and capabilities.term("service", self.service) is None:
            raise ValidationError({"service": _("Choose a service from the list.")})

    @property
    def service_label(self):
        """The service sought, named in the reader's language."""
        return capabilities.label("service", self.service) if self.service else ""

    @property
    def is_expired(self):
        return self.expires_on < timezone.localdate()

    @property
    def is_listed(self):
        return self.status == self.Status.PUBLISHED and not self.is_expired


class PartnerInterest(models.Model):
    """An organization's "we are interested" in a post. It opens a private conversation
    (``InterestMessage``s) between the admins of the two organizations, and only them."""

    post = models.ForeignKey(PartnerSearch, on_delete=models.CASCADE, related_name="interests")
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "organization"], name="opportunities_interest_once"
            )
        ]


class InterestMessage(models.Model):
    """One message of the private conversation an expression of interest opens: written by an
    admin of one of the two organizations, read by the admins of both."""

    interest = models.ForeignKey(
        PartnerInterest, on_delete=models.CASCADE, related_name="messages"
    )
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["interest", "created_at"])]

    def __str__(self):
        return self.body[:50]


class ConversationRead(models.Model):
    """How far one person has read a private conversation: the last message seen. Messages
    after it, written by someone else, are the person's unread ones."""

    interest = models.ForeignKey(
        PartnerInterest, on_delete=models.CASCADE, related_name="read_markers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interest", "user"], name="opportunities_conversation_read_once"
            )
        ]

    def __str__(self):
        return f"{self.user_id} read {self.interest_id} to {self.last_read_id}"


class Event(ClusterableModel):
    """A cluster event with registration and slots for one-to-one meetings."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=3000, blank=True)
    location = models.CharField(_("place"), max_length=300, blank=True)
    region = models.ForeignKey(
        "taxonomy.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("region"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(
        _("places (organizations)"), validators=[MinValueValidator(1)], default=50
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("location"), FieldPanel("region")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("capacity"),
        InlinePanel("slots", heading=_("One-to-one meeting slots")),
        FieldPanel("published"),
    ]

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="opportunities_event_ends_after"
            )
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("An event ends after it starts.")})


class MeetingSlot(models.Model):
    """A time during the event when registered organizations may meet one to one."""

    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    panels = [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])]

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="opportunities_slot_ends_after"
            )
        ]

    def __str__(self):
        return (
            f"{timezone.localtime(self.starts_at):%H:%M}–{timezone.localtime(self.ends_at):%H:%M}"
        )

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A slot ends after it starts.")})


class EventRegistration(models.Model):
    """An organization's place at an event; past the capacity it waits for a place."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"], name="opportunities_registration_once"
            )
        ]


class MeetingRequest(models.Model):
    """One organization asks another for a one-to-one meeting in a slot. While requested or
    accepted, it holds the slot for both (their ``MeetingSeat``s)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.REQUESTED, Status.ACCEPTED)

    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="meetings")
    requester = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="opportunities_meet_someone_else"
            )
        ]


class MeetingSeat(models.Model):
    """An organization's seat in a slot: unique per (slot, organization), so one organization
    is never in two meetings at once, decided by the database."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="seats")
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "organization"], name="opportunities_one_meeting_per_slot"
            )
        ]


class CallProject(models.Model):
    """A draft project proposed to answer a call (the link lives here: projects know no call)."""

    call = models.ForeignKey(FundingCall, on_delete=models.CASCADE, related_name="projects")
    project = models.ForeignKey("projects.ProjectPage", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "project"], name="opportunities_call_project")
        ]
