"""Forms of the volunteer pages: they parse input; the services decide and validate the rest."""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import PartnerPage
from taxonomy.models import Sector

from .models import HoursLog, Requirement, Role, RoleApplication, Shift, VolunteerProfile

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = VolunteerProfile
        fields = [
            "university",
            "studies",
            "skills",
            "languages",
            "availability",
            "sectors",
            "sdgs",
            "is_minor",
            "contact_consent",
            "open_to_mentoring",
            "open_to_mentoring_ventures",
        ]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "availability": _(
                "The days and times you can give, e.g. “weekday afternoons”, “Saturday "
                "mornings”, “Tuesdays 17-19”: roles whose shifts fit them come first."
            ),
        }


class RoleDirectoryFilter(django_filters.FilterSet):
    """The facets of the open roles at /volunteer/: a skill, on site or remote, a sector of
    the project or organization that publishes the role, and an organization (the roles it
    publishes itself and those of the projects it leads)."""

    skill = django_filters.CharFilter(
        label=_("Skill"), field_name="skills", lookup_expr="icontains", max_length=100
    )
    where = django_filters.ChoiceFilter(
        label=_("Where"),
        choices=[("onsite", _("On site")), ("remote", _("Remote"))],
        empty_label=_("On site or remote"),
        method="filter_where",
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        empty_label=_("Any sector"),
        method="filter_sector",
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        # The organizations with open roles: published by them, or by a project they lead.
        queryset=PartnerPage.objects.live()
        .filter(
            Q(volunteer_roles__open=True)
            | Q(led_projects__volunteer_roles__open=True, led_projects__live=True)
        )
        .distinct()
        .order_by("title"),
        empty_label=_("Any organization"),
        method="filter_organization",
    )

    class Meta:
        model = Role
        fields = []

    def filter_where(self, queryset, name, value):
        return queryset.filter(remote=value == "remote")

    def filter_sector(self, queryset, name, value):
        # A role has one publisher, so one of the two joins matches it once at most.
        return queryset.filter(Q(project__sectors=value) | Q(organization__sectors=value))

    def filter_organization(self, queryset, name, value):
        return queryset.filter(Q(organization=value) | Q(project__lead_organization=value))


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = [
            "title",
            "description",
            "skills",
            "remote",
            "minors_allowed",
            "open",
            "screening",
            "agreement",
            "requirements",
        ]
        widgets = {"requirements": forms.CheckboxSelectMultiple}


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ["starts_at", "ends_at", "places"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
        }


class HoursForm(forms.ModelForm):
    role = forms.ModelChoiceField(queryset=Role.objects.none(), label=_("Role"))

    class Meta:
        model = HoursLog
        fields = ["role", "day", "hours", "note"]
        widgets = {"day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles

    def _post_clean(self):
        # The service validates the whole entry (with its volunteer) before anything is stored.
        pass


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PeriodForm(forms.Form):
    """The period of the verified-hours totals and exports (both ends optional, inclusive)."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def period(self):
        """(start, end) when valid; an invalid form gives no period."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data["start"], self.cleaned_data["end"]

    def query(self):
        """The query string that keeps the period in links (exports)."""
        start, end = self.period()
        params = {k: v.isoformat() for k, v in (("start", start), ("end", end)) if v}
        return urlencode(params)


class ApplyForm(forms.ModelForm):
    class Meta:
        model = RoleApplication
        fields = ["motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the volunteer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you decline."),
    )


class AgreementForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the volunteer agreement and I accept it"),
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )


class RequirementConfirmForm(forms.Form):
    requirement = forms.ModelChoiceField(
        queryset=Requirement.objects.none(), label=_("Requirement")
    )

    def __init__(self, *args, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = role.requirements.all()


class RequirementRecordForm(forms.Form):
    requirement = forms.ModelChoiceField(
        queryset=Requirement.objects.none(), label=_("Requirement")
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = role.requirements.all()
