"""The admin's edit form for pages whose texts exist in several languages (partners, projects).

Editors review and publish these pages in Wagtail; they read and correct the summary and
description in the other content languages there, as coordinators write them in the portal.
"""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail.admin import compare
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .forms import TranslatedTextsFormMixin
from .i18n_content import (
    DESCRIPTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TRANSLATED_TEXT_KEYS,
    content_languages,
    language_name,
)

LABELS = {
    "summary": gettext_lazy("Summary in %(language)s"),
    "description": gettext_lazy("Description in %(language)s"),
}
SIZES = {"summary": (SUMMARY_MAX_LENGTH, 2), "description": (DESCRIPTION_MAX_LENGTH, 5)}


def translation_field_names():
    return [f"{key}_{code}" for code in content_languages() for key in TRANSLATED_TEXT_KEYS]


class _TranslatedText:
    """One translated text read like a model field, for the admin's revision comparison."""

    def __init__(self, key, code):
        self.key, self.code = key, code

    @property
    def verbose_name(self):
        return LABELS[self.key] % {"language": language_name(self.code)}

    def value_from_object(self, page):
        return (page.text_translations or {}).get(self.code, {}).get(self.key, "")


class TranslationFieldPanel(FieldPanel):
    """A translation field of the form; comparing revisions shows what changed in it."""

    class BoundPanel(FieldPanel.BoundPanel):
        def get_comparison(self):
            if not self.is_shown():
                return []
            key, code = self.panel.field_name.split("_", 1)
            return [
                lambda obj_a, obj_b: compare.TextFieldComparison(
                    _TranslatedText(key, code), obj_a, obj_b
                )
            ]


def translations_panel():
    """The panel placing the translation fields, after the page's own texts."""
    return MultiFieldPanel(
        [TranslationFieldPanel(name) for name in translation_field_names()],
        heading=gettext_lazy("Texts in other languages"),
        help_text=gettext_lazy(
            "Plain text. The summary and description above are the original: leave their "
            "language empty here."
        ),
        classname="collapsed",
    )


class ProfileTextsPageForm(TranslatedTextsFormMixin, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.translation_instance = instance if instance.pk else None
        translations = instance.text_translations or {}
        for code in content_languages():
            for key in TRANSLATED_TEXT_KEYS:
                field = self.fields.get(f"{key}_{code}")
                if field is not None:
                    field.label = LABELS[key] % {"language": language_name(code)}
                    field.initial = translations.get(code, {}).get(key, "")

    def clean(self):
        cleaned_data = super().clean()
        if not all(name in self.fields for name in translation_field_names()):
            return cleaned_data
        self.clean_translations()
        if "original_language" in cleaned_data and not any(
            name in self.errors for name in translation_field_names()
        ):
            # On the instance before the model's own validation runs on it.
            self.instance.text_translations = self.translation_kwargs()["text_translations"]
        return cleaned_data


# Declared on the class, so that Wagtail, which builds each page type's form from its panels,
# finds them; their labels and values are set per form above.
for _code in content_languages():
    for _key in TRANSLATED_TEXT_KEYS:
        _max_length, _rows = SIZES[_key]
        _field = forms.CharField(
            required=False,
            max_length=_max_length,
            widget=forms.Textarea(attrs={"rows": _rows, "lang": _code}),
        )
        ProfileTextsPageForm.base_fields[f"{_key}_{_code}"] = _field
        ProfileTextsPageForm.declared_fields[f"{_key}_{_code}"] = _field
del _code, _key, _max_length, _rows, _field
