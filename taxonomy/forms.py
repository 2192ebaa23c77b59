from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.ids import IdModelChoiceField


class TagMergeForm(forms.Form):
    """Which of the selected tags survives a merge; the others are folded into it."""

    target = IdModelChoiceField(
        queryset=Tag.objects.none(),
        widget=forms.RadioSelect,
        label=_("Keep this tag"),
        help_text=_("Everything tagged with the other selected tags gets this one instead."),
        empty_label=None,
    )

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = list(tags)
        self.fields["target"].queryset = Tag.objects.filter(
            pk__in=[tag.pk for tag in self.tags]
        ).order_by("name")

    def clean(self):
        cleaned_data = super().clean()
        if len(self.tags) < 2:
            raise forms.ValidationError(_("Select at least two tags to merge."))
        return cleaned_data
