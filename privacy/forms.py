from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .services import consent_record

NAME_REQUIRED = _("Please write your name as people should see it.")


class TickedBox(forms.CheckboxInput):
    """A checkbox that counts only as a browser sends it ticked: "on" (it has no value
    attribute). Django's own reads any text but "false" as ticked, "0" and "no" included."""

    def value_from_datadict(self, data, files, name):
        return data.get(name) == "on"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus the person's name and consent to the privacy notice,
    recorded with its version."""

    # The name people see on the portal instead of the username (allauth stores them on the user).
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    consent = forms.BooleanField(
        required=True,
        widget=TickedBox,
        error_messages={
            "required": _("To create an account, please read and accept the privacy notice.")
        },
    )

    field_order = [
        "first_name",
        "last_name",
        "email",
        "username",
        "password1",
        "password2",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the link text and URL follow the visitor's language.
        self.fields["consent"].label = format_html(
            gettext(
                'I have read the <a href="{url}" target="_blank" rel="noopener">privacy notice'
                "</a> (opens in a new tab) and agree that the portal keeps my data as it says."
            ),
            url=reverse("privacy:notice"),
        )

    def save(self, request):
        # The account and its consent exist together or not at all.
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user):
        super().custom_signup(request, user)
        consent_record(user=user)


class AccountDeleteForm(forms.Form):
    """Deleting one's account, confirmed with the current password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your current password. Nothing was deleted."), code="password"
            )
        return password
