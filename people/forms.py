from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.uploads import SafeImageField, max_upload_size

NAME_REQUIRED = _("Please write your name as people should see it.")


class ProfileForm(forms.Form):
    """A person's name and profile, edited by themselves."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, error_messages={"required": NAME_REQUIRED}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": NAME_REQUIRED}
    )
    # Checked and cleaned (no metadata: no camera, no GPS position) by the shared upload check.
    photo = SafeImageField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(),
        help_text=lazy(
            lambda: (
                _(
                    "A square picture of your face works best: PNG, JPEG, GIF or WebP, "
                    "at most %(size)s MB."
                )
                % {"size": max_upload_size() // (1024 * 1024)}
            ),
            str,
        )(),
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)
    languages = forms.CharField(
        label=_("Languages you speak"),
        max_length=200,
        required=False,
        help_text=_("Separated by commas, e.g. Catalan, Spanish, English."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=500,
        required=False,
        help_text=_("What you can bring to a project, separated by commas."),
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few lines about you and your work (at most 1,000 characters)."),
    )
    shown = forms.BooleanField(
        label=_("Show my profile card to people signed in to the portal"),
        required=False,
        help_text=_("Your name, photo, languages, skills, bio and published organizations."),
    )
