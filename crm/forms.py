from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Consent, Contact, CrmRole, Interaction, Relationship

MAX_UPLOAD = 20 * 1024 * 1024


def _lines(value):
    return [line.strip() for line in (value or "").replace(",", "\n").splitlines() if line.strip()]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    emails = forms.CharField(
        label=_("E-mails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    phones = forms.CharField(
        label=_("Phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", "—"), *Contact._meta.get_field("language").choices],
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        required=False,
        choices=Contact.Role.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    source = forms.CharField(label=_("Source"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["emails"] = _lines(data["emails"])
        data["phones"] = [p.strip() for p in (self.cleaned_data["phones"] or "").splitlines()]
        data["tags"] = [t.strip() for t in data["tags"].split(",")]
        return data

    @classmethod
    def initial_for(cls, contact):
        return {
            "kind": contact.kind,
            "name": contact.name,
            "emails": "\n".join(e.email for e in contact.emails.all()),
            "phones": "\n".join(p.number for p in contact.phones.all()),
            "address": contact.address,
            "language": contact.language,
            "roles": contact.roles,
            "tags": ", ".join(t.name for t in contact.tags.all()),
            "source": contact.source,
            "notes": contact.notes,
        }


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Consent.Channel.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Consent.Status.choices)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=Consent.Basis.choices)
    method = forms.CharField(
        label=_("How"),
        max_length=200,
        required=False,
        help_text=_("E.g. paper form signed at the event, web form, phone call."),
    )
    notice_version = forms.CharField(label=_("Notice version"), max_length=40, required=False)


class WithdrawForm(forms.Form):
    purpose = forms.ChoiceField(choices=Consent.Purpose.choices)
    channel = forms.ChoiceField(choices=Consent.Channel.choices)


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Interaction.Kind.choices)
    happened_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Now if left empty."),
    )
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)


class MergeForm(forms.Form):
    keep = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    other = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Consent.Channel.choices)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    include_address = forms.BooleanField(
        label=_("Include postal addresses"),
        required=False,
        help_text=_("Left out unless needed: only what the mailing needs."),
    )

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Any")), *[(t.pk, t.name) for t in tags]]


class RoleForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Member"), coerce=int)
    role = forms.ChoiceField(
        label=_("CRM role"), choices=[("", _("No access")), *CrmRole.Role.choices], required=False
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (m.user_id, m.user.get_full_name() or m.user.username) for m in members
        ]


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Consent.Channel.choices)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = {t.pk: t for t in tags}
        self.fields["tag"].choices = [("", _("Any")), *[(t.pk, t.name) for t in tags]]

    def service_kwargs(self):
        return {**self.cleaned_data, "tag": self.tags.get(self.cleaned_data["tag"])}


class RelationshipForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relationship"), choices=Relationship.Kind.choices)
    other = forms.IntegerField(
        label=_("Other contact's number"),
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "The number shown after # in the contact's page address or the duplicates list."
        ),
    )
