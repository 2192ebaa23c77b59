"""Shared vocabularies: sectors, regions and the 17 UN Sustainable Development Goals.

Partners and projects both point at these, so they live below both apps.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.validators import SingleLineFieldsMixin


class Sector(SingleLineFieldsMixin, models.Model):
    """A field of social action (education, health, housing…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


class Region(SingleLineFieldsMixin, models.Model):
    """A territory (a Catalan comarca, a province, a whole country)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


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
        language = (get_language() or "en")[:2]
        return getattr(self, f"name_{language}", None) or self.name_en
