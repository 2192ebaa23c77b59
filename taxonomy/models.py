"""Shared vocabularies: sectors, regions and the 17 UN Sustainable Development Goals.

Partners and projects both point at these, so they live below both apps.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.validators import SingleLineFieldsMixin


def _active_language():
    return (get_language() or settings.LANGUAGE_CODE)[:2]


class TranslatedNameMixin(models.Model):
    """A ``name`` in the default language with its Spanish and Catalan versions.

    ``name`` stays the key editors and imports know (slugs and ordering are made from it);
    ``localized_name`` and ``str()`` give the name in the active language, or ``name`` while
    a translation is missing.
    """

    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    name_ca = models.CharField(_("name (Catalan)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def localized_name(self):
        return getattr(self, f"name_{_active_language()}", "") or self.name

    def __str__(self):
        return self.localized_name


class Sector(SingleLineFieldsMixin, TranslatedNameMixin, models.Model):
    """A field of social action (education, health, housing…)."""

    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Region(SingleLineFieldsMixin, TranslatedNameMixin, models.Model):
    """A territory (a Catalan comarca, a province, a whole country)."""

    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class SustainableDevelopmentGoal(SingleLineFieldsMixin, models.Model):
    """One of the 17 UN goals, with its official short name in each portal language."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_ca = models.CharField(_("name (Catalan)"), max_length=100)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        help_text=_("Hex colour, e.g. #E5243B"),
        validators=[
            RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as # and six hex digits."))
        ],
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def name(self):
        return getattr(self, f"name_{_active_language()}", None) or self.name_en


class TagTranslation(models.Model):
    """The Spanish and Catalan names of an offer/seek/need tag (the tag's own name is English),
    and whether editors have reviewed it.

    Tags are one vocabulary in every language: a member who types "voluntaris" gets the tag
    "volunteers" (``taxonomy.tags.canonical_names``), so matchmaking, which compares tags by
    identity, pairs a Catalan need with an English offer.

    A name a member types that no tag has in any language becomes a tag *proposed* by them
    (``taxonomy.services.tag_proposals_record``): it is kept on what they tagged, but forms do
    not suggest it and directories do not offer it as a filter until an editor approves it
    (with its Spanish and Catalan names), merges it into another tag or rejects it. A tag
    without this row is approved: the vocabulary editors made themselves.
    """

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PROPOSED = "proposed", _("Proposed")

    tag = models.OneToOneField(
        "taggit.Tag",
        verbose_name=_("tag"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="translation",
    )
    name_es = models.CharField(_("name (Spanish)"), max_length=100, blank=True)
    name_ca = models.CharField(_("name (Catalan)"), max_length=100, blank=True)
    status = models.CharField(
        _("review"), max_length=10, choices=Status.choices, default=Status.APPROVED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tag translation")
        verbose_name_plural = _("tag translations")
        indexes = [
            models.Index(
                fields=["status"],
                name="taxonomy_tag_proposed",
                condition=models.Q(status="proposed"),
            )
        ]

    def __str__(self):
        return str(self.tag)
