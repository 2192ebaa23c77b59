"""The impact map of a project (SROI), and the shared library of financial proxies.

The arithmetic lives in ``impact.sroi`` (no Django); ``impact.report`` turns a map into the
report that the portal, the public page, the CSV and the JSON all show.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from core.validators import SingleLineFieldsMixin

from . import sroi

CURRENCIES = [
    ("EUR", _("Euro (EUR)")),
    ("GBP", _("Pound sterling (GBP)")),
    ("USD", _("US dollar (USD)")),
    ("CHF", _("Swiss franc (CHF)")),
    ("SEK", _("Swedish krona (SEK)")),
    ("DKK", _("Danish krone (DKK)")),
    ("NOK", _("Norwegian krone (NOK)")),
    ("PLN", _("Polish złoty (PLN)")),
    ("CZK", _("Czech koruna (CZK)")),
]

PERCENT_MESSAGE = _("Enter a percentage between 0 and 100.")
NOT_NEGATIVE_MESSAGE = _("Enter 0 or more.")


def percent_field(verbose_name, help_text):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[
            MinValueValidator(0, message=PERCENT_MESSAGE),
            MaxValueValidator(100, message=PERCENT_MESSAGE),
        ],
        help_text=help_text,
    )


def amount_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, message=NOT_NEGATIVE_MESSAGE)],
        **kwargs,
    )


def currency_field():
    return models.CharField(
        _("currency"),
        max_length=3,
        choices=CURRENCIES,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code."))],
    )


class ImpactMap(SingleLineFieldsMixin, models.Model):
    """A project's SROI impact map: its stakeholders, inputs, outputs and valued outcomes.

    A project may have one forecast map (what it expects) and one evaluative map (what
    happened), side by side. Coordinators edit the working copy; publishing freezes the
    report into ``published_report`` and only that frozen copy is public, so later edits stay
    private until published again.
    """

    class Kind(models.TextChoices):
        FORECAST = "forecast", _("Forecast")
        EVALUATIVE = "evaluative", _("Evaluative")

    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="impact_maps",
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.FORECAST,
        help_text=_(
            "Forecast: the value the project expects to create. Evaluative: the value it "
            "created, measured after the fact."
        ),
    )
    currency = currency_field()
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=sroi.DEFAULT_DISCOUNT_RATE,
        validators=[
            MinValueValidator(0, message=PERCENT_MESSAGE),
            MaxValueValidator(100, message=PERCENT_MESSAGE),
        ],
        help_text=_("Future value is discounted by this rate each year (3.5 % is usual)."),
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year"),
        validators=[
            MinValueValidator(1990, message=_("Enter a year between 1990 and 2100.")),
            MaxValueValidator(2100, message=_("Enter a year between 1990 and 2100.")),
        ],
        help_text=_("The calendar year the analysed activity starts."),
    )
    period_years = models.PositiveSmallIntegerField(
        _("analysis period (years)"),
        default=1,
        validators=[
            MinValueValidator(1, message=_("The analysis period is at least 1 year.")),
            MaxValueValidator(50, message=_("The analysis period is at most 50 years.")),
        ],
        help_text=_("How many years of activity the inputs and outcomes cover."),
    )
    volunteer_hourly_rate = amount_field(
        _("volunteer hourly rate"),
        default=Decimal("15.00"),
        help_text=_("The value of one hour of volunteering, in the map's currency."),
    )
    sensitivity_points = models.DecimalField(
        _("sensitivity: percentage points"),
        max_digits=5,
        decimal_places=2,
        default=sroi.DEFAULT_SENSITIVITY_POINTS,
        validators=[
            MinValueValidator(0, message=PERCENT_MESSAGE),
            MaxValueValidator(100, message=PERCENT_MESSAGE),
        ],
        help_text=_(
            "The sensitivity analysis moves each deadweight, displacement, attribution and "
            "drop-off up and down by this many points."
        ),
    )
    sensitivity_proxy_percent = models.DecimalField(
        _("sensitivity: proxy change (%)"),
        max_digits=5,
        decimal_places=2,
        default=sroi.DEFAULT_SENSITIVITY_PROXY_PERCENT,
        validators=[
            MinValueValidator(0, message=PERCENT_MESSAGE),
            MaxValueValidator(100, message=PERCENT_MESSAGE),
        ],
        help_text=_("…and each financial proxy up and down by this percentage of itself."),
    )
    scope = models.TextField(
        _("scope and purpose"),
        blank=True,
        max_length=4000,
        help_text=_("What the analysis covers, for whom, and why it was done."),
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_report = models.JSONField(_("published report"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="unique_impact_map_kind")
        ]
        indexes = [models.Index(fields=["published", "project"])]
        ordering = ["project_id", "-kind"]  # forecast before evaluative
        verbose_name = _("impact map")
        verbose_name_plural = _("impact maps")

    def __str__(self):
        return f"{self.project} ({self.get_kind_display()})"

    @property
    def has_unpublished_changes(self):
        return bool(self.published and self.published_at and self.updated_at > self.published_at)


class Stakeholder(SingleLineFieldsMixin, models.Model):
    """A group of people (or the state, a community…) who experience change."""

    impact_map = models.ForeignKey(
        ImpactMap, on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(_("stakeholder"), max_length=200)
    description = models.TextField(_("who they are"), blank=True, max_length=2000)
    number = models.PositiveIntegerField(
        _("how many"), default=0, help_text=_("How many people (or organizations) it is.")
    )

    class Meta:
        ordering = ["impact_map_id", "id"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return self.name


class Input(SingleLineFieldsMixin, models.Model):
    """What was put in: money, in-kind resources or volunteer hours, and who contributed it."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        IN_KIND = "in_kind", _("In kind")
        VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")

    impact_map = models.ForeignKey(ImpactMap, on_delete=models.CASCADE, related_name="inputs")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MONEY)
    description = models.CharField(_("description"), max_length=300)
    amount = amount_field(
        _("amount"),
        null=True,
        blank=True,
        help_text=_("For money and in-kind resources: their value."),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=NOT_NEGATIVE_MESSAGE)],
        help_text=_("For volunteer time: valued at the map's hourly rate."),
    )
    organization = models.ForeignKey(
        "partners.PartnerPage",
        verbose_name=_("contributed by (organization)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contributor_name = models.CharField(
        _("contributed by (other)"),
        max_length=200,
        blank=True,
        help_text=_("A contributor that is not a partner organization of the project."),
    )
    year = models.PositiveSmallIntegerField(
        _("year of the activity"),
        default=1,
        validators=[
            MinValueValidator(1, message=_("The first year of the activity is year 1.")),
            MaxValueValidator(50, message=_("An input is spent within 50 years.")),
        ],
        help_text=_(
            "The year of the activity in which it is spent (1 = the first). Later years are "
            "discounted like the outcomes."
        ),
    )
    suggestion_key = models.CharField(
        _("offered from"),
        max_length=60,
        blank=True,
        editable=False,
        help_text=_("The suggestion this input was offered from (verified volunteer hours…)."),
    )

    class Meta:
        ordering = ["impact_map_id", "id"]
        constraints = [
            # One input per suggestion: offering it again updates the figure, never doubles it.
            models.UniqueConstraint(
                fields=["impact_map", "suggestion_key"],
                condition=~models.Q(suggestion_key=""),
                name="impact_input_one_per_suggestion",
            )
        ]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.VOLUNTEER_HOURS:
            if self.hours is None:
                errors["hours"] = _("Enter the number of volunteer hours.")
        elif self.amount is None:
            errors["amount"] = _("Enter the value of this input.")
        if self.organization_id is None and not self.contributor_name.strip():
            errors["contributor_name"] = _(
                "Say who contributed it: choose an organization or type a name."
            )
        elif self.organization_id is not None and self.contributor_name.strip():
            errors["contributor_name"] = _("Choose an organization or type a name, not both.")
        if self.impact_map_id and self.year and self.year > self.impact_map.period_years:
            errors["year"] = _(
                "The analysis lasts %(years)s year(s): choose a year between 1 and %(years)s."
            ) % {"years": self.impact_map.period_years}
        if errors:
            raise ValidationError(errors)

    def value(self, hourly_rate):
        """The input's value: its amount, or its hours at the map's volunteer rate."""
        if self.kind == self.Kind.VOLUNTEER_HOURS:
            return (self.hours or Decimal(0)) * hourly_rate
        return self.amount or Decimal(0)


class Output(SingleLineFieldsMixin, models.Model):
    """A countable product of the activity (sessions held, people trained…)."""

    impact_map = models.ForeignKey(ImpactMap, on_delete=models.CASCADE, related_name="outputs")
    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outputs",
    )
    description = models.CharField(_("output"), max_length=300)
    quantity = amount_field(_("quantity"), default=Decimal(0))
    unit = models.CharField(_("unit"), max_length=60, blank=True)

    class Meta:
        ordering = ["impact_map_id", "id"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        if self.stakeholder_id and self.stakeholder.impact_map_id != self.impact_map_id:
            raise ValidationError({"stakeholder": _("Choose a stakeholder of this map.")})


class FinancialProxy(SingleLineFieldsMixin, index.Indexed, models.Model):
    """A shared, sourced financial proxy that any project's impact map can use.

    Editors curate the library in the Wagtail admin (a snippet); choosing one in a map copies
    its value and source into the outcome, which keeps a link to count where it is used.
    """

    outcome = models.CharField(_("outcome"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    value = amount_field(_("value"))
    currency = currency_field()
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[
            MinValueValidator(1990, message=_("Enter a year between 1990 and 2100.")),
            MaxValueValidator(2100, message=_("Enter a year between 1990 and 2100.")),
        ],
        help_text=_("The year the value refers to (prices of that year)."),
    )
    source = models.TextField(_("source"), max_length=2000)
    source_url = models.URLField(_("source link"), blank=True)

    panels = [
        FieldPanel("outcome"),
        FieldPanel("indicator"),
        FieldRowPanel([FieldPanel("value"), FieldPanel("currency"), FieldPanel("year")]),
        FieldPanel("source"),
        FieldPanel("source_url"),
    ]
    search_fields = [
        index.SearchField("outcome"),
        index.SearchField("indicator"),
        index.SearchField("source"),
        index.AutocompleteField("outcome"),
        index.FilterField("currency"),
    ]

    class Meta:
        ordering = ["outcome", "id"]
        verbose_name = _("financial proxy")
        verbose_name_plural = _("financial proxies")

    def __str__(self):
        return f"{self.outcome} — {self.indicator} ({self.value} {self.currency}, {self.year})"


def _year_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[
            MinValueValidator(1990, message=_("Enter a year between 1990 and 2100.")),
            MaxValueValidator(2100, message=_("Enter a year between 1990 and 2100.")),
        ],
        **kwargs,
    )


class PriceIndex(SingleLineFieldsMixin, ClusterableModel):
    """A price index kept as data (e.g. a country's consumer price index by year), that editors
    update as the statistics office publishes it. An outcome whose proxy is in the prices of
    another year is brought to the first year of its map's analysis with it
    (``sroi.indexed_proxy``)."""

    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source"), max_length=2000)
    source_url = models.URLField(_("source link"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("source"),
        FieldPanel("source_url"),
        InlinePanel("values", heading=_("Values by year"), label=_("value")),
    ]

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("price index")
        verbose_name_plural = _("price indices")

    def __str__(self):
        return self.name

    def series(self):
        """{year: value} (from prefetched values when there are)."""
        return {row.year: row.value for row in self.values.all()}


class PriceIndexValue(Orderable):
    index = ParentalKey(PriceIndex, on_delete=models.CASCADE, related_name="values")
    year = _year_field(_("year"))
    value = models.DecimalField(
        _("index value"),
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"), message=_("An index value is above 0."))],
    )

    panels = [FieldRowPanel([FieldPanel("year"), FieldPanel("value")])]

    class Meta(Orderable.Meta):
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["index", "year"], name="price_index_one_value_a_year")
        ]
        verbose_name = _("index value")
        verbose_name_plural = _("index values")


class Outcome(SingleLineFieldsMixin, models.Model):
    """A change one stakeholder experiences, measured by an indicator and valued by a proxy.

    Deadweight (what would have happened anyway), displacement (value moved from elsewhere),
    attribution (the share due to others) and drop-off (how much the effect fades each year)
    are percentages, each with its justification: together they are the honest part of SROI.
    """

    class Starts(models.TextChoices):
        DURING = sroi.Start.DURING.value, _("During the activity")
        AFTER = sroi.Start.AFTER.value, _("After the activity")

    stakeholder = models.ForeignKey(
        Stakeholder,
        verbose_name=_("stakeholder"),
        on_delete=models.CASCADE,
        related_name="outcomes",
    )
    description = models.CharField(_("outcome"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    indicator_source = models.CharField(
        _("indicator source"),
        max_length=500,
        blank=True,
        help_text=_("Where the figure comes from (a survey, records, a study)."),
    )
    quantity = amount_field(
        _("quantity"), help_text=_("How many of the stakeholders experience it.")
    )
    duration_years = models.PositiveSmallIntegerField(
        _("duration (years)"),
        default=1,
        validators=[
            MinValueValidator(1, message=_("An outcome lasts at least 1 year.")),
            MaxValueValidator(50, message=_("An outcome lasts at most 50 years.")),
        ],
    )
    starts = models.CharField(
        _("starts"), max_length=6, choices=Starts.choices, default=Starts.DURING
    )
    negative = models.BooleanField(
        _("negative outcome"),
        default=False,
        help_text=_(
            "A loss for this stakeholder: its value is counted against the total, with the "
            "same quantity, proxy and percentages as any other outcome."
        ),
    )
    proxy_description = models.CharField(_("financial proxy"), max_length=300, blank=True)
    proxy_value = amount_field(
        _("proxy value"), help_text=_("The value of the outcome for one stakeholder, per year.")
    )
    proxy_source = models.CharField(_("proxy source"), max_length=500)
    shared_proxy = models.ForeignKey(
        FinancialProxy,
        verbose_name=_("from the proxy library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    proxy_year = _year_field(
        _("year of the proxy's prices"),
        null=True,
        blank=True,
        help_text=_(
            "With a price index, a proxy valued in another year is brought to the prices of "
            "the first year of the analysis."
        ),
    )
    price_index = models.ForeignKey(
        PriceIndex,
        verbose_name=_("price index"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    deadweight = percent_field(_("deadweight (%)"), _("How much would have happened anyway."))
    deadweight_justification = models.TextField(_("why"), blank=True, max_length=2000)
    displacement = percent_field(
        _("displacement (%)"), _("How much of the outcome displaced other outcomes.")
    )
    displacement_justification = models.TextField(_("why"), blank=True, max_length=2000)
    attribution = percent_field(
        _("attribution (%)"), _("How much of the outcome is due to other people or organizations.")
    )
    attribution_justification = models.TextField(_("why"), blank=True, max_length=2000)
    drop_off = percent_field(
        _("drop-off (%)"), _("How much the outcome fades in each year after the first.")
    )
    drop_off_justification = models.TextField(_("why"), blank=True, max_length=2000)
    suggestion_key = models.CharField(
        _("quantity from"),
        max_length=60,
        blank=True,
        editable=False,
        help_text=_("The accepted figure this quantity was filled from (a cohort's outcomes…)."),
    )

    class Meta:
        ordering = ["stakeholder_id", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return self.description

    def clean(self):
        super().clean()
        errors = {}
        for name in sroi.PERCENTAGES:
            value = getattr(self, name.value)
            reason = getattr(self, f"{name.value}_justification")
            if value not in (None, "") and Decimal(value) > 0 and not reason.strip():
                errors[f"{name.value}_justification"] = _(
                    "Explain this percentage: every assumption is published with its reason."
                )
        if self.shared_proxy_id and self.stakeholder_id:
            map_currency = self.stakeholder.impact_map.currency
            if self.shared_proxy.currency != map_currency:
                errors["shared_proxy"] = _(
                    "This proxy is in %(proxy)s but the map is in %(map)s: choose another or "
                    "enter your own value."
                ) % {"proxy": self.shared_proxy.currency, "map": map_currency}
        if self.price_index_id and not self.proxy_year:
            errors["proxy_year"] = _("Give the year of the proxy's prices, to index it.")
        elif self.price_index_id and self.stakeholder_id and "proxy_year" not in errors:
            year = self.stakeholder.impact_map.first_year
            series = self.price_index.series()
            missing = [y for y in sorted({self.proxy_year, year}) if y not in series]
            if missing:
                errors["price_index"] = _(
                    "%(index)s has no value for %(years)s: choose another index, or ask the "
                    "editors to add it."
                ) % {"index": self.price_index, "years": ", ".join(map(str, missing))}
        if errors:
            raise ValidationError(errors)

    def proxy_in_analysis_prices(self, analysis_year):
        """The proxy value in the prices of ``analysis_year`` and the index factor used (None
        when it is not indexed: no index, the same year, or a year the index lacks)."""
        if not (self.price_index_id and self.proxy_year) or self.proxy_year == analysis_year:
            return self.proxy_value, None
        series = self.price_index.series()
        try:
            value = sroi.indexed_proxy(self.proxy_value, self.proxy_year, analysis_year, series)
        except sroi.InvalidInput:
            return self.proxy_value, None
        return value, series[analysis_year] / series[self.proxy_year]
