"""The preferences form: the person's language, one choice per kind, then the digest's
frequency, hour and time zone."""

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Channel, DigestFrequency


@cache
def _time_zones():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def _field_name(kind):
    return f"kind__{kind}"


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        # A form posted without it (an older page) keeps the language the person had.
        required=False,
        help_text=_("The portal's pages and the e-mails it sends you are in this language."),
    )
    frequency = forms.ChoiceField(label=_("Digest"), choices=DigestFrequency.choices)
    hour = forms.TypedChoiceField(
        label=_("Send it at"),
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)

    def __init__(self, *args, kinds, **kwargs):
        """``kinds`` is ``[(kind, label, channel)]`` (``selectors.kind_preferences``)."""
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind, label, channel in kinds:
            self.fields[_field_name(kind)] = forms.ChoiceField(
                label=label, choices=Channel.choices, initial=channel
            )

    def kind_fields(self):
        return [self[_field_name(kind)] for kind, _label, _channel in self.kinds]

    def channels(self):
        return {kind: self.cleaned_data[_field_name(kind)] for kind, _l, _c in self.kinds}
