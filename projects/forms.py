"""Forms of the project portal: they parse and validate input; the services decide."""

import html
import re

from django import forms
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags
from wagtail.rich_text import RichText

from core.forms import SingleLineFormMixin, TranslatedTextsFormMixin
from core.ids import IdModelChoiceField, IdModelMultipleChoiceField
from core.widgets import LongSelect
from partners.models import Membership, PartnerPage
from taxonomy.forms import VocabularyTagWidget, with_review_note
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from taxonomy.tags import canonical_names

from .models import ProjectPage

NOT_YOUR_ORGANIZATION = _("You can only propose projects for an organization you administer.")


class DateInput(forms.DateInput):
    input_type = "date"


class SDGChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.name}"


class _ProjectDetailsForm(SingleLineFormMixin, forms.Form):
    """What a project is about and where it stands: shared by proposing and editing it."""

    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        help_text=_("One or two sentences shown in the directory."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text=_("What the project will do, for whom, and how. Blank lines start paragraphs."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ProjectPage.Status.choices, initial=ProjectPage.Status.IDEA
    )
    sdgs = SDGChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=SustainableDevelopmentGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sectors = IdModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    region = IdModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput)
    needs = TagField(
        label=_("Needs"),
        required=False,
        widget=VocabularyTagWidget,
        help_text=with_review_note(
            _(
                "Skills and resources the project seeks, separated by commas "
                "(e.g. volunteers, mentoring, meeting rooms)."
            )
        ),
    )

    def clean_needs(self):
        needs = self.cleaned_data["needs"]
        if len(needs) > 30:
            raise forms.ValidationError(_("Name at most 30 needs."))
        if any(len(tag) > 100 for tag in needs):
            raise forms.ValidationError(_("Each need can have at most 100 characters."))
        # "voluntaris" is the tag "volunteers": one vocabulary in every language.
        return canonical_names(needs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def details_kwargs(self):
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "status": data["status"],
            "sdgs": list(data["sdgs"]),
            "sectors": list(data["sectors"]),
            "region": data["region"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "needs": data["needs"],
        }


def _body_from_text(text):
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return [("paragraph", RichText(linebreaks(escape(p)))) for p in paragraphs]


class ProjectProposeForm(TranslatedTextsFormMixin, _ProjectDetailsForm):
    """Propose a project led by one of the organizations the person administers."""

    lead_organization = IdModelChoiceField(
        label=_("Lead organization"),
        queryset=PartnerPage.objects.none(),
        error_messages={"invalid_choice": NOT_YOUR_ORGANIZATION},
    )
    title = forms.CharField(label=_("Title"), max_length=255)

    field_order = ["lead_organization", "title"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["lead_organization"].initial = organizations[0].pk
        self.add_translation_fields()

    def clean(self):
        data = super().clean()
        self.clean_translations()
        return data

    def service_kwargs(self):
        """The cleaned data as ``project_propose`` keyword arguments."""
        data = self.cleaned_data
        return {
            "lead_organization": data["lead_organization"],
            "title": data["title"],
            "body": _body_from_text(data["description"]),
            **self.details_kwargs(),
            **self.translation_kwargs(),
        }


def body_as_text(body):
    """The description as plain paragraphs, or None when it holds more than plain paragraphs
    (images, quotes, links…) that a text area would lose: those stay the editors' to change."""
    paragraphs = []
    for block in body:
        if block.block_type != "paragraph":
            return None
        source = block.value.source if hasattr(block.value, "source") else str(block.value)
        if re.search(r"<(?!/?(p|br)\b)[a-z]", source, flags=re.IGNORECASE):
            return None
        text = re.sub(r"<br\s*/?>", "\n", source, flags=re.IGNORECASE)
        text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text, flags=re.IGNORECASE)
        text = re.sub(r"</?p[^>]*>", "", text, flags=re.IGNORECASE)
        paragraphs.append(html.unescape(text).strip())
    return "\n\n".join(p for p in paragraphs if p)


class ProjectEditForm(_ProjectDetailsForm):
    """The coordinators keep their project's details up to date: where it stands, its dates,
    what it needs, its sectors and SDGs, its summary and (when plain) its description."""

    def __init__(self, *args, project, **kwargs):
        self.original_description = body_as_text(project.body)
        initial = {
            "summary": project.summary,
            "description": self.original_description or "",
            "status": project.status,
            "sdgs": [sdg.pk for sdg in project.sdgs.all()],
            "sectors": [sector.pk for sector in project.sectors.all()],
            "region": project.region_id,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "needs": edit_string_for_tags(sorted(project.needs.all(), key=lambda t: t.name)),
        }
        super().__init__(*args, initial=initial, **kwargs)
        if self.original_description is None:
            del self.fields["description"]

    def service_kwargs(self):
        """The cleaned data as ``project_details_update`` keyword arguments; the description
        only when it was changed, so an unchanged one keeps its formatting."""
        kwargs = self.details_kwargs()
        description = self.cleaned_data.get("description")
        if description is not None and _normalized(description) != _normalized(
            self.original_description or ""
        ):
            kwargs["body"] = _body_from_text(description)
        return kwargs


def _normalized(text):
    return "\n\n".join(
        " ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n\n") if line.strip()
    )


class _OrganizationMessageForm(forms.Form):
    organization = IdModelChoiceField(label=_("Organization"), queryset=PartnerPage.objects.none())
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, organizations, shown=None, **kwargs):
        """``organizations`` validates; ``shown`` (a list), if given, is what the select lists."""
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations
        if shown is not None:
            field.choices = [("", "---------")] + [(o.pk, o.title) for o in shown]


class InviteForm(_OrganizationMessageForm):
    """A coordinator invites an organization to the project."""

    organization = IdModelChoiceField(
        label=_("Organization to invite"),
        queryset=PartnerPage.objects.none(),
        error_messages={"invalid_choice": _("Choose an approved organization.")},
        widget=LongSelect,
    )


class JoinRequestForm(_OrganizationMessageForm):
    """An organization admin asks for their organization to join the project."""

    organization = IdModelChoiceField(
        label=_("Your organization"),
        queryset=PartnerPage.objects.none(),
        error_messages={
            "invalid_choice": _("You can only ask to join for an organization you administer.")
        },
    )
    message = forms.CharField(
        label=_("A short message to the coordinators"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class TeamAddForm(SingleLineFormMixin, forms.Form):
    """A coordinator adds a member of an active partner organization to the team."""

    membership = IdModelChoiceField(
        label=_("Person"),
        queryset=Membership.objects.select_related("user", "organization"),
        error_messages={"invalid_choice": _("Choose a member of an active partner organization.")},
    )
    is_coordinator = forms.BooleanField(label=_("Also a coordinator"), required=False)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            field = self.fields["membership"]
            field.choices = [("", "---------")] + [
                (m.pk, f"{m.user.get_full_name() or m.user.username} ({m.organization.title})")
                for m in candidates
            ]


class ProjectTextsForm(SingleLineFormMixin, TranslatedTextsFormMixin, forms.Form):
    """The project's public texts in other languages, and the language of its own texts."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_translation_fields(project)

    def clean(self):
        data = super().clean()
        self.clean_translations()
        return data
