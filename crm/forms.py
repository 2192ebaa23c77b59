from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Consent, Contact, CrmRole, CustomField, Interaction, Relationship

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

    def __init__(self, *args, custom_fields=(), contact=None, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.custom_fields = list(custom_fields)
        self.fields.update(custom_field_form_fields(self.custom_fields, contact))
        if accounts:
            self.fields["account"] = forms.TypedChoiceField(
                label=_("Portal account"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Not linked")), *accounts],
                help_text=_(
                    "An account whose confirmed e-mail is one of the contact's: its activity "
                    "with your organization then shows in the timeline."
                ),
            )

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        if "account" in data:
            data["user_id"] = data.pop("account")
        data["custom"] = {f.key: data.pop(f"cf{f.pk}", None) for f in self.custom_fields}
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
            "account": contact.user_id,
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
    """The consent segment to export, and the columns beyond name, kind, language, e-mail and
    phone: each sensitive column (postal address, roles, notes, the organization's custom
    fields) is left out unless chosen for this export."""

    EXTRA = {
        "address": _("Postal address"),
        "roles": _("Roles (e.g. beneficiary)"),
        "notes": _("Notes"),
    }

    purpose = forms.ChoiceField(label=_("Purpose"), choices=Consent.Purpose.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Consent.Channel.choices)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    extra = forms.MultipleChoiceField(
        label=_("Also export"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Left out unless needed: only what the mailing needs."),
    )

    def __init__(self, *args, tags=(), custom_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Any")), *[(t.pk, t.name) for t in tags]]
        self.custom_fields = {f"cf{f.pk}": f for f in custom_fields}
        self.fields["extra"].choices = [
            *self.EXTRA.items(),
            *[
                (key, f"{f.name} ({_('sensitive')})" if f.sensitive else f.name)
                for key, f in self.custom_fields.items()
            ],
        ]


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


class MappingForm(forms.Form):
    """One choice per column of the uploaded file: the field it fills, or nothing."""

    def __init__(self, *args, header=(), initial_mapping=(), custom_fields=(), **kwargs):
        from .imports import FIELDS

        super().__init__(*args, **kwargs)
        choices = [("", _("Ignore this column")), *FIELDS.items()]
        choices += [(f"cf:{f.pk}", f.name) for f in custom_fields]
        self.header = list(header)
        for index, title in enumerate(self.header):
            self.fields[f"col{index}"] = forms.ChoiceField(
                label=title or _("Column %(n)s") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=initial_mapping[index] if index < len(initial_mapping) else "",
            )

    def clean(self):
        from .imports import check_mapping

        data = super().clean()
        try:
            check_mapping(self.mapping(data))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return data

    def mapping(self, data=None):
        data = self.cleaned_data if data is None else data
        return [data.get(f"col{i}") or "" for i in range(len(self.header))]


class CustomFieldForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomField.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For “One of a list”: one choice per line."),
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive"),
        required=False,
        help_text=_("Left out of exports unless the person exporting chooses it."),
    )

    def clean(self):
        data = super().clean()
        lines = [" ".join(c.split())[:100] for c in (data.get("choices") or "").splitlines()]
        data["choices"] = list(dict.fromkeys(c for c in lines if c))
        if data.get("kind") == CustomField.Kind.CHOICE and not data["choices"]:
            self.add_error("choices", _("Give at least one choice."))
        if data.get("kind") != CustomField.Kind.CHOICE:
            data["choices"] = []
        return data


def custom_field_form_fields(custom_fields, contact=None):
    """Form fields for the organization's custom fields, keyed ``cf<id>``."""
    fields = {}
    for definition in custom_fields:
        value = (contact.custom or {}).get(definition.key) if contact else None
        label = definition.name
        if definition.kind == CustomField.Kind.NUMBER:
            field = forms.DecimalField(label=label, required=False, max_digits=18)
        elif definition.kind == CustomField.Kind.DATE:
            field = forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            value = definition.display(value) or None
        elif definition.kind == CustomField.Kind.CHOICE:
            field = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "—"), *[(c, c) for c in definition.choices]],
            )
        else:
            field = forms.CharField(label=label, required=False, max_length=500)
        field.initial = value
        fields[f"cf{definition.pk}"] = field
    return fields
