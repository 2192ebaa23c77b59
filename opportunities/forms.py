"""Forms of the opportunities pages: they parse input; the services decide and validate."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners import capabilities
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

from .models import ORGANIZATION_KINDS, FundingCall, PartnerSearch

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallProposeForm(forms.ModelForm):
    link = forms.URLField(label=_("Link to the call"), required=False, assume_scheme="https")
    eligible_kinds = forms.MultipleChoiceField(
        choices=ORGANIZATION_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Open to"),
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Regions"),
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

    class Meta:
        model = FundingCall
        fields = [
            "title",
            "funder_type",
            "funder",
            "programme",
            "summary",
            "deadline",
            "amount",
            "cofunding",
            "link",
        ]
        widgets = {"deadline": DATE}


class OrganizationChoiceForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk


class PostForm(forms.ModelForm):
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"))
    # The services in use (``partners.CapabilityTerm``), named in the reader's language; a
    # retired or unknown code is refused.
    service = forms.ChoiceField(
        label=_("Service"),
        choices=lambda: [("", "---------"), *capabilities.choices("service")],
        required=False,
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"), required=False, label=_("Region")
    )
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.order_by("name"), required=False, label=_("Sector")
    )

    class Meta:
        model = PartnerSearch
        fields = [
            "organization",
            "direction",
            "title",
            "purpose",
            "partner_kind",
            "capability",
            "service",
            "sector",
            "region",
            "expires_on",
        ]
        widgets = {"expires_on": DATE}

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=60)


class InterestForm(OrganizationChoiceForm):
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What your organization brings. It opens a private conversation between the admins "
            "of both organizations."
        ),
    )


class ConversationForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MeetingRequestForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=None, label=_("On behalf of"))
    slot = forms.ModelChoiceField(queryset=None, label=_("When"))
    message = forms.CharField(label=_("Message"), max_length=500, required=False)

    def __init__(self, *args, organizations, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["slot"].queryset = slots
