"""Forms of the impact map editor. They parse input; the services write."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.forms import modelformset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.ids import range_checked_formfield

from .models import FinancialProxy, ImpactMap, Input, Outcome, Output, Stakeholder
from .selectors import contributor_organizations, financial_proxies

MAP_FIELDS = [
    "currency",
    "discount_rate",
    "first_year",
    "period_years",
    "volunteer_hourly_rate",
    "scope",
]


class ImpactMapCreateForm(forms.ModelForm):
    class Meta:
        model = ImpactMap
        fields = ["kind", *MAP_FIELDS]
        widgets = {"scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, available_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in ImpactMap.Kind.choices if value in available_kinds
        ]

    def _post_clean(self):
        # The service validates the whole map (uniqueness included) with the project set.
        pass


class ImpactMapSettingsForm(forms.ModelForm):
    class Meta:
        model = ImpactMap
        fields = [*MAP_FIELDS, "sensitivity_points", "sensitivity_proxy_percent"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 3})}


class RowMeta:
    # Foreign keys (stakeholder, organization, shared proxy) range-check the submitted id.
    formfield_callback = staticmethod(range_checked_formfield)


class RowForm(forms.ModelForm):
    """A row of one impact map. ``groups`` lays the fields out in fieldsets."""

    groups = ()
    choice_fields = ("stakeholder", "organization", "shared_proxy", "price_index")

    def __init__(self, *args, impact_map, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.impact_map = impact_map
        if self.instance.pk is None and hasattr(self.instance, "impact_map_id"):
            # Model validation (Output.clean) needs to know the map of a new row.
            self.instance.impact_map = impact_map
        if "stakeholder" in self.fields:
            self.fields["stakeholder"].queryset = impact_map.stakeholders.all()
        for name, value in (choices or {}).items():
            # Choices listed once for the whole formset, not one query per row.
            self.fields[name].choices = value

    def field_groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]


class StakeholderForm(RowForm):
    class Meta(RowMeta):
        model = Stakeholder
        fields = ["name", "number", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    groups = ((None, ("name", "number", "description")),)


class InputForm(RowForm):
    class Meta(RowMeta):
        model = Input
        fields = [
            "kind",
            "description",
            "amount",
            "hours",
            "year",
            "organization",
            "contributor_name",
        ]

    groups = (
        (None, ("kind", "description", "amount", "hours", "year")),
        (_("Contributed by"), ("organization", "contributor_name")),
    )

    def __init__(self, *args, impact_map, **kwargs):
        super().__init__(*args, impact_map=impact_map, **kwargs)
        self.fields["organization"].queryset = contributor_organizations(impact_map.project)
        # Left blank, an input is spent in the first year (as every input was before years).
        self.fields["year"].required = False

    def clean_year(self):
        return self.cleaned_data.get("year") or 1


class OutputForm(RowForm):
    class Meta(RowMeta):
        model = Output
        fields = ["stakeholder", "description", "quantity", "unit"]

    groups = ((None, ("stakeholder", "description", "quantity", "unit")),)


class ProxySelect(forms.Select):
    """A select of library proxies whose options carry their value, for impact.js to fill."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        proxy = getattr(value, "instance", None)
        if isinstance(proxy, FinancialProxy):
            option["attrs"].update(
                {
                    "data-value": str(proxy.value),
                    "data-currency": proxy.currency,
                    "data-description": f"{proxy.outcome} — {proxy.indicator}",
                    "data-year": str(proxy.year),
                    "data-source": f"{proxy.source} ({proxy.year})"
                    + (f" {proxy.source_url}" if proxy.source_url else ""),
                }
            )
        return option


class OutcomeForm(RowForm):
    class Meta(RowMeta):
        model = Outcome
        fields = [
            "stakeholder",
            "description",
            "indicator",
            "indicator_source",
            "quantity",
            "duration_years",
            "starts",
            "negative",
            "shared_proxy",
            "proxy_description",
            "proxy_value",
            "proxy_source",
            "proxy_year",
            "price_index",
            "deadweight",
            "deadweight_justification",
            "displacement",
            "displacement_justification",
            "attribution",
            "attribution_justification",
            "drop_off",
            "drop_off_justification",
        ]
        widgets = {
            "shared_proxy": ProxySelect(attrs={"data-proxy-fill": ""}),
            **{
                f"{name}_justification": forms.Textarea(attrs={"rows": 2})
                for name in ("deadweight", "displacement", "attribution", "drop_off")
            },
        }

    groups = (
        (
            _("The change"),
            (
                "stakeholder",
                "description",
                "indicator",
                "indicator_source",
                "quantity",
                "duration_years",
                "starts",
                "negative",
            ),
        ),
        (
            _("Financial proxy"),
            (
                "shared_proxy",
                "proxy_description",
                "proxy_value",
                "proxy_source",
                "proxy_year",
                "price_index",
            ),
        ),
        (_("Deadweight"), ("deadweight", "deadweight_justification")),
        (_("Displacement"), ("displacement", "displacement_justification")),
        (_("Attribution"), ("attribution", "attribution_justification")),
        (_("Drop-off"), ("drop_off", "drop_off_justification")),
    )

    def __init__(self, *args, impact_map, **kwargs):
        super().__init__(*args, impact_map=impact_map, **kwargs)
        field = self.fields["shared_proxy"]
        if not hasattr(field, "_choices"):
            field.queryset = financial_proxies()
        field.help_text = _(
            "Choosing one fills the value and source from the shared library when you save "
            "(leave the value blank, or change the choice, to take the library's)."
        )
        # Either typed in or taken from the library (impact.services fills them).
        self.fields["proxy_value"].required = False
        self.fields["proxy_source"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("shared_proxy"):
            if cleaned.get("proxy_value") is None and "proxy_value" not in self.errors:
                self.add_error(
                    "proxy_value", _("Enter a proxy value or choose one from the library.")
                )
            if not (cleaned.get("proxy_source") or "").strip():
                self.add_error(
                    "proxy_source", _("Say where the proxy value comes from, or use the library.")
                )
        return cleaned


class RowFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, impact_map, **kwargs):
        self.impact_map = impact_map
        super().__init__(*args, **kwargs)

    @cached_property
    def shared_choices(self):
        probe = self.form(impact_map=self.impact_map, prefix="probe")
        return {
            name: list(probe.fields[name].choices)
            for name in self.form.choice_fields
            if name in probe.fields
        }

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "impact_map": self.impact_map,
            "choices": self.shared_choices,
        }


def row_formset(form, *, extra=1):
    return modelformset_factory(
        form._meta.model,
        form=form,
        formset=RowFormSet,
        extra=extra,
        can_delete=True,
        max_num=200,
        validate_max=True,
    )


SECTIONS = {
    "stakeholders": StakeholderForm,
    "inputs": InputForm,
    "outputs": OutputForm,
    "outcomes": OutcomeForm,
}


class ValueMapUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Value map spreadsheet (.xlsx)"),
        validators=[FileExtensionValidator(["xlsx"], message=_("Upload an .xlsx spreadsheet."))],
        help_text=_(
            "The columns of the SROI Network's template, as in the spreadsheet this page "
            "downloads. Nothing is saved until you confirm what it will create."
        ),
    )
