import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from core import opendata, page_hooks
from core.admin_forms import ProfileTextsPageForm, translations_panel
from core.blocks import BodyBlock
from core.choosers import ScriptlessImageChooserPanel, ScriptlessSnippetChooserPanel
from core.i18n_content import LocaleFallbackMixin, ProfileTextsMixin
from core.validators import SingleLineFieldsMixin
from taxonomy.models import TranslatedNameMixin
from taxonomy.search import TAG_NAMES, TRANSLATED_NAMES
from taxonomy.serializers import (
    RegionSerializer,
    SectorSerializer,
    SustainableDevelopmentGoalSerializer,
    TagNamesField,
)

from . import capabilities
from .serializers import CapabilityNamesField, CapabilityProfileField


def organization_name_key(name):
    """The form of a name used to spot duplicates: no accents, no case, no punctuation.

    "Fundació Pere-Tarrés" and "fundacio pere tarres" give the same key; so do the Catalan
    "col·lectiu" and "col.lectiu".
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[\W_]+", " ", bare).strip()


class PartnerIndexPage(LocaleFallbackMixin, Page):
    """The partner directory at /partners/: search and faceted filters over PartnerPages."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["partners.PartnerPage"]
    max_count = 1

    class Meta:
        verbose_name = _("partner directory")

    def serve(self, request, *args, **kwargs):
        # ``?format=csv|json`` turns the same filtered list into open data (partners.directory).
        export_format = opendata.requested_format(request)
        if export_format:
            return page_hooks.call("partners_directory_export", request, export_format)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_hooks.call("partners_directory_context", request))
        return context


class PartnerOfferTag(TaggedItemBase):
    content_object = ParentalKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="offer_items"
    )


class PartnerSeekTag(TaggedItemBase):
    content_object = ParentalKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="seek_items"
    )


class CapabilityTerm(SingleLineFieldsMixin, TranslatedNameMixin, models.Model):
    """One term of an open-ended vocabulary of the capability profile: a service, a target
    group, a language or a quality label (``partners.capabilities``).

    ``code`` is what profiles store (``PartnerCapability.value``) and what the directory's URLs,
    the open data and the API carry: it is fixed once the term exists. ``name`` is the English
    name, ``name_es`` / ``name_ca`` its Spanish and Catalan names (``TranslatedNameMixin``, as
    the sectors and regions). A retired term is hidden from the profile form and the
    directory's filters and kept on the profiles that have it. Only a term no organization
    has (in its profile or a draft of it) can be deleted.
    """

    FACET_CHOICES = [(name, label) for name, label in capabilities.FACET_LABELS.items()]

    facet = models.CharField(_("vocabulary"), max_length=20, choices=FACET_CHOICES)
    code = models.SlugField(
        _("code"),
        max_length=30,
        help_text=_(
            "Letters, digits, hyphens and underscores. Profiles, links and open data use it: "
            "it cannot be changed once the term is saved."
        ),
    )
    name = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first in forms and filters.")
    )
    retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_(
            "Hidden from the profile form and the directory's filters; organizations that "
            "already have it keep it."
        ),
    )

    class Meta:
        ordering = ["facet", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facet", "code"], name="partners_term_code_once")
        ]
        verbose_name = _("capability term")
        verbose_name_plural = _("capability terms")


class PartnerCapability(models.Model):
    """One value of an organization's capability profile: a service it gives, a group it serves,
    a language it works in or a quality label it holds, by the ``code`` of its
    ``CapabilityTerm``. A child of the page, so it is kept in revisions and published with them.
    The organization's admins choose them in the portal's profile form; the Wagtail editor
    keeps them as they are."""

    FACET_CHOICES = CapabilityTerm.FACET_CHOICES

    page = ParentalKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="capabilities"
    )
    facet = models.CharField(_("facet"), max_length=20, choices=FACET_CHOICES)
    value = models.CharField(_("value"), max_length=30)

    panels = [FieldPanel("facet"), FieldPanel("value")]

    class Meta:
        ordering = ["facet", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "facet", "value"], name="partners_capability_once"
            )
        ]
        indexes = [models.Index(fields=["facet", "value"], name="partners_capability_idx")]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def clean(self):
        if capabilities.term(self.facet, self.value) is None:
            raise ValidationError({"value": _("Choose a value from the list.")})

    @property
    def term(self):
        return capabilities.term(self.facet, self.value)

    @property
    def label(self):
        return capabilities.label(self.facet, self.value)

    @property
    def retired(self):
        found = self.term
        return found is None or found.retired

    def __str__(self):
        return str(self.label)


class PartnerPage(SingleLineFieldsMixin, LocaleFallbackMixin, ProfileTextsMixin, Page):
    """A partner organization of the cluster.

    Registration creates it as a draft submitted to the moderation workflow; an editor's
    approval publishes it. Who may manage it is decided by ``Membership`` rows, turned into
    guardian object permissions by ``partners.services``.
    """

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        FOUNDATION = "foundation", _("Foundation")
        COOPERATIVE = "cooperative", _("Cooperative")
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University")
        PUBLIC_BODY = "public_body", _("Public body")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))
    sectors = ParentalManyToManyField("taxonomy.Sector", blank=True, verbose_name=_("sectors"))
    sdgs = ParentalManyToManyField(
        "taxonomy.SustainableDevelopmentGoal", blank=True, verbose_name=_("SDGs")
    )
    region = models.ForeignKey(
        "taxonomy.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partners",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    territories = ParentalManyToManyField(
        "taxonomy.Region",
        blank=True,
        related_name="served_by",
        verbose_name=_("territories served"),
    )
    staff_band = models.CharField(
        _("paid staff"), max_length=10, choices=capabilities.SIZE_BANDS, blank=True
    )
    volunteer_band = models.CharField(
        _("volunteers"), max_length=10, choices=capabilities.SIZE_BANDS, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Shown on the public profile and in the directory's open data."),
    )
    offers = ClusterTaggableManager(
        through=PartnerOfferTag, blank=True, related_name="offered_by", verbose_name=_("offers")
    )
    seeks = ClusterTaggableManager(
        through=PartnerSeekTag, blank=True, related_name="sought_by", verbose_name=_("seeks")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept in step with the title by clean(), which every page save and revision runs.
    name_key = models.CharField(max_length=255, blank=True, db_index=True, editable=False)

    base_form_class = ProfileTextsPageForm
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        ScriptlessImageChooserPanel("logo"),
        FieldPanel("original_language"),
        FieldPanel("summary"),
        FieldPanel("description"),
        translations_panel(),
        MultiFieldPanel(
            [
                FieldPanel("sectors"),
                FieldPanel("sdgs"),
                ScriptlessSnippetChooserPanel("region"),
                FieldPanel("city"),
            ],
            heading=_("Where and what"),
        ),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("contact_email")], heading=_("Contact")
        ),
        MultiFieldPanel(
            [FieldPanel("offers"), FieldPanel("seeks")], heading=_("Offers and needs")
        ),
        MultiFieldPanel(
            [
                FieldPanel("territories"),
                FieldPanel("staff_band"),
                FieldPanel("volunteer_band"),
            ],
            heading=_("Capabilities"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("translated_texts"),
        index.SearchField("city"),
        index.RelatedFields("offers", TAG_NAMES),
        index.RelatedFields("seeks", TAG_NAMES),
        index.RelatedFields("sectors", TRANSLATED_NAMES),
        index.RelatedFields("region", TRANSLATED_NAMES),
        index.FilterField("kind"),
        index.FilterField("region"),
    ]

    # Public fields only: no members, no applicant, no contact e-mail (often a person's).
    api_fields = [
        APIField("kind"),
        APIField("summary"),
        APIField("description"),
        APIField("original_language"),
        APIField("text_translations"),
        APIField("logo", serializer=ImageRenditionField("max-400x400")),
        APIField("sectors", serializer=SectorSerializer(many=True, read_only=True)),
        APIField(
            "sdgs", serializer=SustainableDevelopmentGoalSerializer(many=True, read_only=True)
        ),
        APIField("region", serializer=RegionSerializer(read_only=True)),
        APIField("city"),
        APIField("website"),
        APIField("offers", serializer=TagNamesField()),
        APIField("seeks", serializer=TagNamesField()),
        APIField("capabilities", serializer=CapabilityProfileField()),
        APIField("capability_names", serializer=CapabilityNamesField(source="capabilities")),
        APIField("territories", serializer=RegionSerializer(many=True, read_only=True)),
        APIField("staff_band"),
        APIField("volunteer_band"),
    ]

    parent_page_types = ["partners.PartnerIndexPage"]
    # The summary is a short paragraph (a text area); every other text field is one line.
    multi_line_fields = ("summary",)
    subpage_types = []

    class Meta:
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")
        # The directory's kind filter; region, sectors, SDGs and tags have FK indexes.
        indexes = [models.Index(fields=["kind"], name="partners_page_kind_idx")]
        permissions = [
            ("view_partner_draft", _("Can see the organization while it is a draft")),
            ("change_partner_profile", _("Can edit the organization's profile")),
            ("manage_partner_members", _("Can invite and remove members and change roles")),
            ("propose_project", _("Can propose projects led by the organization")),
        ]

    def capability_rows(self):
        """The capability profile's values in the order editors gave the terms."""
        return sorted(
            self.capabilities.all(),
            key=lambda row: capabilities.sort_key(row.facet, row.value),
        )

    def clean(self):
        super().clean()
        self.name_key = organization_name_key(self.title)
        if self.name_key:
            taken = PartnerPage.objects.filter(name_key=self.name_key)
            if self.pk:
                taken = taken.exclude(pk=self.pk)
            if taken.exists():
                raise ValidationError(
                    {"title": _("An organization with this name is already registered.")},
                    code="duplicate_name",
                )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Other apps (projects, impact…) add sections through this hook, so this app never
        # imports them: each function takes (request, page) and returns safe HTML (e.g. from
        # render_to_string) or "" for nothing; a plain str is escaped like any variable.
        context["panels"] = [
            html for fn in hooks.get_hooks("partner_page_panels") if (html := fn(request, self))
        ]
        context["directory_url"] = self.get_parent().get_url(request)
        # Who may manage it is the selectors' call (partners.wagtail_hooks).
        context.update(page_hooks.call("partners_page_context", request, self))
        return context


class PartnerPageUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PartnerPage, on_delete=models.CASCADE)


class PartnerPageGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PartnerPage, on_delete=models.CASCADE)


class Membership(SingleLineFieldsMixin, models.Model):
    """A person's place in an organization. The source of truth for their permissions."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        PartnerPage, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership")
        ]
        ordering = ["organization_id", "user_id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.role})"


class Invitation(SingleLineFieldsMixin, models.Model):
    """An e-mailed invitation to join an organization: signed, single use, expiring."""

    organization = models.ForeignKey(
        PartnerPage, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    # The e-mail's language, and the invitation page's for a visitor who has not chosen one.
    language = models.CharField(
        _("language"), max_length=7, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        indexes = [models.Index(fields=["email"])]
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organization}"
