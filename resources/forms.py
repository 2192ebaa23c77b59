"""Forms of the resources pages: they parse input; the services decide and validate the rest."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

from .bookings import MAX_WEEKS
from .models import AvailabilityRule, Listing

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ListingForm(forms.ModelForm):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"), required=False, label=_("Region")
    )
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sectors"),
    )
    sdgs = forms.ModelMultipleChoiceField(
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("SDGs"),
    )
    tags = TagField(required=False, label=_("Tags"), help_text=_("Separated by commas."))

    class Meta:
        model = Listing
        fields = [
            "organization",
            "type",
            "kind",
            "title",
            "description",
            "quantity",
            "region",
            "address",
            "accessibility",
            "conditions",
            "conditions_note",
            "audience",
            "project",
            "auto_approve",
            "expires_on",
            "sectors",
            "sdgs",
            "tags",
        ]
        widgets = {
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organizations, projects, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["project"].queryset = projects
        self.fields["project"].required = False
        if editing:
            del self.fields["organization"]
        else:
            self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        return data


class BookingForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("For"))
    starts_at = forms.DateTimeField(
        label=_("From"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    ends_at = forms.DateTimeField(
        label=_("Until"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    quantity = forms.IntegerField(label=_("Units"), min_value=1, initial=1)
    weeks = forms.IntegerField(
        label=_("Repeat weekly"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text=_(
            "How many weeks in a row (1: just once). Dates that cannot be booked are "
            "skipped and listed."
        ),
    )
    note = forms.CharField(label=_("Note for the owner"), max_length=500, required=False)

    def __init__(self, *args, organizations, listing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["quantity"].max_value = listing.quantity
        self.fields["quantity"].widget.attrs["max"] = listing.quantity
        if listing.quantity == 1:
            self.fields["quantity"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("weeks", 1) > 1 and data.get("quantity", 1) > 1:
            raise forms.ValidationError(_("A weekly series books one unit at a time."))
        return data


class ConditionForm(forms.Form):
    condition = forms.CharField(label=_("Condition notes"), max_length=500, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = AvailabilityRule
        fields = ["weekday", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class BlockedDateForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class AnswerForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Answer for"))
    offer = forms.ModelChoiceField(
        queryset=None, required=False, label=_("With one of your offers (optional)")
    )
    message = forms.CharField(label=_("Message"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, organizations, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["offer"].queryset = offers
        self.fields["offer"].label_from_instance = lambda o: f"{o.title} ({o.organization.title})"


class LedgerFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All"))]
        + [(k, v) for k, v in Listing.Kind.choices if k in Listing.HOUR_KINDS],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
