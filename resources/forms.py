"""Forms of the resources pages: they parse input; the services decide and validate the rest."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from core.uploads import SafeImageField
from taxonomy.forms import VocabularyTagWidget, with_review_note
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
    tags = TagField(
        required=False,
        label=_("Tags"),
        widget=VocabularyTagWidget,
        help_text=with_review_note(_("Separated by commas.")),
    )
    # Checked and re-encoded without metadata (no camera, no GPS position) by the upload check.
    photo = SafeImageField(
        label=_("Photo"),
        required=False,
        help_text=_("A picture of the resource: PNG, JPEG, GIF or WebP."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)

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
            "photo_alt",
            "conditions",
            "conditions_note",
            "audience",
            "project",
            "auto_approve",
            "value_per_hour",
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
        order = list(self.fields)
        for name in ("remove_photo", "photo_alt", "photo"):
            order.remove(name)
            order.insert(order.index("accessibility") + 1, name)
        self.order_fields(order)
        if editing:
            del self.fields["organization"]
            if not self.instance.photo_id:
                del self.fields["remove_photo"]
        else:
            del self.fields["remove_photo"]
            self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=90)

    def clean(self):
        data = super().clean()
        if data.get("remove_photo") and not data.get("photo"):
            # Taking the photo out: its description goes with it.
            self.instance.photo = None
            data["photo_alt"] = ""
        return data

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        data["photo_file"] = data.pop("photo", None) or None
        remove = data.pop("remove_photo", False)
        if self.instance.pk:
            data["remove_photo"] = remove
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
    project = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("For project"),
        help_text=_(
            "The project it is for, if any: the project's impact report may then count it."
        ),
    )
    note = forms.CharField(label=_("Note for the owner"), max_length=500, required=False)

    def __init__(self, *args, organizations, listing, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["project"].queryset = projects
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

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            # Said here, before the database's check would say it in its own words.
            self.add_error("ends_at", _("The window must end after it starts."))
        return cleaned


class ListingPhotoForm(forms.Form):
    # Checked and re-encoded without metadata (no camera, no GPS position) by the upload check.
    image = SafeImageField(label=_("Photo"), help_text=_("PNG, JPEG, GIF or WebP."))
    # Required by the service, which says why.
    alt = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see it, e.g. “A bright room with twelve chairs”."),
    )


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

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The period must end on or after the day it starts."))
        return cleaned


class HoursEntryForm(forms.Form):
    """Hours given outside a booking, recorded by an admin of one of the two organizations."""

    giver = forms.ModelChoiceField(queryset=None, label=_("Given by"))
    receiver = forms.ModelChoiceField(queryset=None, label=_("Received by"))
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[(k, v) for k, v in Listing.Kind.choices if k in Listing.HOUR_KINDS],
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.25"), max_value=1000, decimal_places=2
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    project = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("For project"),
        help_text=_("The project the hours were for, if any: its impact report may count them."),
    )

    def __init__(self, *args, organizations, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = organizations
        self.fields["receiver"].queryset = organizations
        self.fields["project"].queryset = projects
