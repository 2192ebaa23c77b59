from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget
from taggit.models import Tag

from core.ids import IdModelChoiceField

from .tags import approved, suggestions


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


class TagReviewForm(forms.Form):
    """An editor's decision on a proposed tag: approve it (named in every language), merge it
    into a tag of the vocabulary, or reject it."""

    APPROVE, MERGE, REJECT = "approve", "merge", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, _("Approve: add it to the vocabulary with these names")),
            (MERGE, _("Merge it into a tag of the vocabulary")),
            (REJECT, _("Reject it (only a tag nothing uses)")),
        ],
    )
    name = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    name_es = forms.CharField(label=_("Name (Spanish)"), max_length=100, required=False)
    name_ca = forms.CharField(label=_("Name (Catalan)"), max_length=100, required=False)
    target = IdModelChoiceField(
        queryset=Tag.objects.none(),
        required=False,
        label=_("Merge into"),
        help_text=_("What carries the proposed tag gets this tag instead."),
    )

    def __init__(self, *args, tag, **kwargs):
        kwargs.setdefault("initial", {"decision": self.APPROVE, "name": tag.name})
        super().__init__(*args, **kwargs)
        self.tag = tag
        self.fields["target"].queryset = approved(Tag.objects.exclude(pk=tag.pk)).order_by("name")

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.APPROVE and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the tag a name."))
        if decision == self.MERGE and not data.get("target"):
            self.add_error("target", _("Choose the tag to merge into."))
        return data


REVIEW_NOTE = _("New tags are reviewed by the cluster's editors.")


class VocabularyTagWidget(TagWidget):
    """The comma-separated tag box with the approved tags, in the active language, as its list
    of suggestions (a ``<datalist>``; ``static/js/tag-suggestions.js`` makes it suggest after
    each comma). Proposed tags are never suggested: only editors make them part of the list."""

    template_name = "taxonomy/widgets/vocabulary_tags.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id') or name}-vocabulary"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["attrs"].setdefault("autocomplete", "off")
        context["list_id"] = list_id
        context["suggestions"] = suggestions()
        return context


def with_review_note(help_text):
    """``help_text`` followed by the note that new tags are reviewed (both translated)."""
    return format_lazy("{} {}", help_text, REVIEW_NOTE)
