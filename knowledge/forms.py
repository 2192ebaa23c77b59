"""Forms of the communities: they parse and validate input; the services decide."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from partners.models import PartnerPage
from projects.models import ProjectPage

from .models import Community, CommunityMembership, KnowledgeItemPage, Session


class JoinForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=PartnerPage.objects.none(),
        required=False,
        empty_label=_("Myself"),
        help_text=_("Join as a person, or for one of your organizations."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = PartnerPage.objects.filter(
            memberships__user=user, live=True
        ).order_by("title")


class QuestionForm(forms.Form):
    title = forms.CharField(label=_("Your question"), max_length=200)
    body = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
        help_text=_("What you tried and what you need. Write @username to tell a member."),
    )
    members_only = forms.BooleanField(
        label=_("Only the community's members may read it"), required=False
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("Write @username to tell a member."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Write @username to tell a member."),
    )


class ItemProposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=KnowledgeItemPage.Kind.choices)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences shown in lists."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=50000,
        help_text=_("Blank lines start paragraphs. Leave it empty to start from the template."),
    )
    template = forms.ModelChoiceField(
        label=_("Start from a template"),
        queryset=KnowledgeItemPage.objects.none(),
        required=False,
        empty_label=_("No template"),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=KnowledgeItemPage.Licence.choices,
        initial=KnowledgeItemPage.Licence.CC_BY,
    )
    language = forms.ChoiceField(label=_("Written in"), choices=settings.LANGUAGES)
    related_project = forms.ModelChoiceField(
        label=_("About the project"),
        queryset=ProjectPage.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("A case study links the project and its published impact report."),
    )
    members_only = forms.BooleanField(
        label=_("Only the community's members may read it"), required=False
    )

    def __init__(self, *args, templates, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["related_project"].queryset = projects

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        project = data.pop("related_project")
        data["related_projects"] = [project] if project else []
        return data


class TranslateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of this version"), choices=())
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        max_length=50000,
        help_text=_("Blank lines start paragraphs. Leave it empty to keep the original text."),
    )

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and publish")), ("reject", _("Send back for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    materials_upload = forms.FileField(
        label=_("Materials"),
        required=False,
        help_text=_("Slides or a handout (PDF, DOCX, ODT, PPTX, XLSX or TXT)."),
    )

    class Meta:
        model = Session
        fields = ["title", "description", "starts_at", "ends_at", "location", "link"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class RecordingForm(forms.Form):
    """The recording of a session that took place, which becomes a knowledge item."""

    link = forms.URLField(
        label=_("Recording's web address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the video or audio is published (a video platform, a cloud folder)."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to use the session's title."),
    )
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CommunityMembership.Role.choices)


class VoteForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Was this useful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )


class CommunityEditForm(forms.ModelForm):
    """What a community's facilitators change themselves; name, slug and summary stay with
    the editors (the admin)."""

    class Meta:
        model = Community
        fields = ["charter", "joining", "members_only_default", "sectors", "sdgs"]
        widgets = {
            "charter": forms.Textarea(attrs={"rows": 8}),
            "joining": forms.RadioSelect,
            "sectors": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
        }


class CommunityAdminForm(WagtailAdminModelForm):
    """The admin's community form, with a person to name as a facilitator: a community made in
    the admin needs someone to accept members and review its items."""

    facilitator = forms.CharField(
        label=_("Name a facilitator"),
        required=False,
        max_length=254,
        help_text=_(
            "Username or e-mail address of an account: they become a facilitator of the "
            "community (and a member)."
        ),
    )

    def clean_facilitator(self):
        value = (self.cleaned_data.get("facilitator") or "").strip()
        if not value:
            return None
        person = (
            get_user_model()
            .objects.filter(Q(username__iexact=value) | Q(email__iexact=value), is_active=True)
            .order_by("pk")
            .first()
        )
        if person is None:
            raise forms.ValidationError(_("No active account has this username or e-mail."))
        return person
