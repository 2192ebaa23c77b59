from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SEARCH_TYPES


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    type = forms.MultipleChoiceField(
        label=_("Show"),
        required=False,
        choices=[(name, label) for name, (_model, label) in SEARCH_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
