"""Forms of the partner portal and the directory: they parse input; services decide."""

import re
from html import unescape as unescape_entities

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from wagtail.rich_text import RichText

from core.forms import SingleLineFormMixin, TranslatedTextsFormMixin
from core.ids import IdModelChoiceField, IdModelMultipleChoiceField
from core.uploads import SafeImageField, max_upload_size
from taxonomy.forms import VocabularyTagWidget, with_review_note
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from taxonomy.tags import canonical_names

from . import capabilities, selectors
from .models import Membership, PartnerPage

MAX_TAGS = 30


class LimitedTagField(TagField):
    """Comma-separated skills or resources: at most MAX_TAGS, each at most 100 characters.

    The box suggests the approved tags in the member's language; a name no tag has becomes a
    proposal editors review (``taxonomy``), which the help text says."""

    widget = VocabularyTagWidget

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, help_text=with_review_note(help_text), **kwargs)

    def clean(self, value):
        tags = super().clean(value)
        if len(tags) > MAX_TAGS:
            raise ValidationError(
                _("Give at most %(max)s tags."), params={"max": MAX_TAGS}, code="too_many_tags"
            )
        if any(len(tag) > 100 for tag in tags):
            raise ValidationError(_("Each tag must be at most 100 characters."), code="long_tag")
        # "voluntaris" is the tag "volunteers": one vocabulary in every language.
        return canonical_names(tags)


class SdgChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.name}"


def description_as_text(stream):
    """The paragraphs of a description StreamField as plain text, blank-line separated."""
    parts = []
    for block in stream or []:
        if block.block_type == "paragraph":
            html = block.value.source if hasattr(block.value, "source") else str(block.value)
            html = re.sub(r"(?i)<br\s*/?>", "\n", html)
            html = re.sub(r"(?i)</p>\s*<p[^>]*>", "\n\n", html)
            parts.append(unescape_entities(strip_tags(html)).strip())
    return "\n\n".join(part for part in parts if part)


def description_from_text(text):
    """Plain text (paragraphs separated by blank lines) as StreamField paragraph blocks."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")):
        paragraph = paragraph.strip()
        if paragraph:
            html = "<br/>".join(escape(line) for line in paragraph.split("\n"))
            blocks.append(("paragraph", RichText(f"<p>{html}</p>")))
    return blocks


def _capability_values(organization):
    """{facet: [codes]} of the organization's capability profile, read in one query."""
    held = {facet: [] for facet in capabilities.FACETS}
    for row in organization.capabilities.all():
        held.setdefault(row.facet, []).append(row.value)
    return held


class OrganizationForm(SingleLineFormMixin, TranslatedTextsFormMixin, forms.Form):
    """Apply to register an organization, or edit its profile (``organization`` given)."""

    title = forms.CharField(label=_("Name of the organization"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerPage.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown in the directory (300 characters at most)."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "What the organization does and for whom. Separate paragraphs with a blank line."
        ),
    )
    # Checked and cleaned (no metadata, no JPEG comments) by the shared upload check.
    logo = SafeImageField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(),
        help_text=lazy(
            lambda: (
                _("A PNG, JPEG, GIF or WebP image of at most %(size)s MB.")
                % {"size": max_upload_size() // (1024 * 1024)}
            ),
            str,
        )(),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    sectors = IdModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = SdgChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=SustainableDevelopmentGoal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = IdModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    # A text box, not type=url: "example.org" is accepted here (as https://) instead of being
    # refused by the browser's own bubble.
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text=_("For example: www.example.org"),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_("Shown on the public profile and in the directory's open data."),
    )
    offers = LimitedTagField(
        label=_("What the organization offers"),
        required=False,
        help_text=_("Skills and resources, separated by commas: e.g. mentoring, meeting rooms."),
    )
    seeks = LimitedTagField(
        label=_("What the organization seeks"),
        required=False,
        help_text=_("Skills and resources, separated by commas: e.g. volunteers, funding."),
    )

    territories = IdModelMultipleChoiceField(
        label=_("Territories served"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_band = forms.ChoiceField(
        label=_("Paid staff"),
        choices=[("", _("Not said")), *capabilities.SIZE_BANDS],
        required=False,
    )
    volunteer_band = forms.ChoiceField(
        label=_("Volunteers"),
        choices=[("", _("Not said")), *capabilities.SIZE_BANDS],
        required=False,
    )
    service = forms.MultipleChoiceField(
        label=capabilities.FACET_LABELS["service"],
        choices=(),  # set by __init__: the terms in use and those the profile has
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_group = forms.MultipleChoiceField(
        label=capabilities.FACET_LABELS["target_group"],
        choices=(),  # set by __init__: the terms in use and those the profile has
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.MultipleChoiceField(
        label=capabilities.FACET_LABELS["language"],
        choices=(),  # set by __init__: the terms in use and those the profile has
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quality_label = forms.MultipleChoiceField(
        label=capabilities.FACET_LABELS["quality_label"],
        choices=(),  # set by __init__: the terms in use and those the profile has
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organization=None, **kwargs):
        self.organization = organization
        if organization is not None:
            kwargs.setdefault("initial", self.initial_for(organization))
        super().__init__(*args, **kwargs)
        held = _capability_values(organization) if organization is not None else {}
        for facet in capabilities.FACETS:
            # Retired terms are offered only to a profile that already has them (kept).
            self.fields[facet].choices = capabilities.choices(facet, keep=held.get(facet, ()))
        if organization is None or not organization.logo_id:
            del self.fields["remove_logo"]
        self.add_translation_fields(organization)

    @staticmethod
    def initial_for(organization):
        return {
            "title": organization.title,
            "kind": organization.kind,
            "summary": organization.summary,
            "description": description_as_text(organization.description),
            "sectors": list(organization.sectors.all()),
            "sdgs": list(organization.sdgs.all()),
            "region": organization.region_id,
            "city": organization.city,
            "website": organization.website,
            "contact_email": organization.contact_email,
            # Tag objects: TagField compares them by name to see what changed.
            "offers": list(organization.offers.all()),
            "seeks": list(organization.seeks.all()),
            "territories": list(organization.territories.all()),
            "staff_band": organization.staff_band,
            "volunteer_band": organization.volunteer_band,
            **_capability_values(organization),
        }

    @property
    def description_has_rich_blocks(self):
        """Whether an editor added blocks this plain form cannot show (images, quotes…)."""
        if self.organization is None:
            return False
        return any(b.block_type != "paragraph" for b in self.organization.description)

    def clean(self):
        data = super().clean()
        self.clean_translations()
        return data

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        exclude = self.organization.pk if self.organization else None
        if selectors.organization_name_taken(title, exclude_pk=exclude):
            raise ValidationError(
                _("An organization with this name is already registered."), code="duplicate_name"
            )
        return title

    def clean_logo(self):
        return self.cleaned_data.get("logo") or None

    def service_kwargs(self):
        """The cleaned data as keyword arguments of organization_apply / organization_update."""
        data = dict(self.cleaned_data)
        kwargs = {
            key: data[key]
            for key in (
                "title",
                "kind",
                "summary",
                "region",
                "city",
                "website",
                "contact_email",
                "sectors",
                "sdgs",
                "offers",
                "seeks",
                "territories",
                "staff_band",
                "volunteer_band",
            )
        }
        kwargs["capabilities"] = {facet: data[facet] for facet in capabilities.FACETS}
        # Rewrite the description only when it was edited here, so rich blocks an editor
        # added in the admin survive an unrelated change.
        if self.organization is None or "description" in self.changed_data:
            kwargs["description"] = description_from_text(data["description"])
        kwargs.update(self.translation_kwargs())
        kwargs["logo_file"] = data.get("logo")
        if self.organization is not None:
            kwargs["remove_logo"] = bool(data.get("remove_logo"))
        return kwargs


class InvitationForm(SingleLineFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=settings.LANGUAGES,
        required=False,  # left out, the admin's own language
        help_text=_("If the address already has an account, its own language is used."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's own language first: the one they are reading the portal in.
        current = translation.get_language() or settings.LANGUAGE_CODE
        self.fields["language"].initial = translation.get_supported_language_variant(current)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
