"""Form parts shared by the portal's partner and project forms."""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .i18n_content import (
    DESCRIPTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TRANSLATED_TEXT_KEYS,
    UNSTORABLE,
    content_languages,
    language_name,
)
from .validators import validate_single_line


class TranslatedTextsFormMixin:
    """The language a profile's texts are written in, and its summary and description in the
    other content languages (``core.i18n_content.ProfileTextsMixin``).

    Call ``add_translation_fields(instance)`` at the end of ``__init__``, ``clean_translations``
    from ``clean`` and merge ``translation_kwargs()`` into the service's keyword arguments.
    """

    def add_translation_fields(self, instance=None):
        self.translation_instance = instance
        current = translation.get_language()
        self.fields["original_language"] = forms.ChoiceField(
            label=_("Language of the texts"),
            choices=settings.WAGTAIL_CONTENT_LANGUAGES,
            initial=(
                instance.original_language
                if instance is not None
                else current
                if current in content_languages()
                else settings.LANGUAGE_CODE
            ),
            help_text=_("The language the summary and description above are written in."),
            # A form posted without it (an older page) keeps the language the texts had.
            required=False,
        )
        translations = (instance.text_translations or {}) if instance is not None else {}
        for code in content_languages():
            name = language_name(code)
            texts = translations.get(code, {})
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary in %(language)s") % {"language": name},
                required=False,
                max_length=SUMMARY_MAX_LENGTH,
                initial=texts.get("summary", ""),
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}),
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description in %(language)s") % {"language": name},
                required=False,
                max_length=DESCRIPTION_MAX_LENGTH,
                initial=texts.get("description", ""),
                widget=forms.Textarea(attrs={"rows": 5, "lang": code}),
            )

    @property
    def translation_groups(self):
        """[(language name, summary field, description field)] for the template."""
        return [
            (language_name(code), self[f"summary_{code}"], self[f"description_{code}"])
            for code in content_languages()
        ]

    def clean_translations(self):
        data = self.cleaned_data
        if not data.get("original_language") and "original_language" not in self.errors:
            data["original_language"] = self.fields["original_language"].initial
        original = data.get("original_language")
        for code in content_languages():
            for key in TRANSLATED_TEXT_KEYS:
                if UNSTORABLE.search(data.get(f"{key}_{code}") or ""):
                    self.add_error(
                        f"{key}_{code}",
                        _(
                            "This text holds control characters or broken characters; remove "
                            "them and save again."
                        ),
                    )
            summary = (data.get(f"summary_{code}") or "").strip()
            description = (data.get(f"description_{code}") or "").strip()
            if code == original and (summary or description):
                self.add_error(
                    f"summary_{code}",
                    _(
                        "The texts above are already in %(language)s: leave this empty or "
                        "choose another language of the texts."
                    )
                    % {"language": language_name(code)},
                )
            elif description and not summary:
                self.add_error(f"summary_{code}", _("Add the summary in this language too."))

    def _translations_posted(self):
        names = [f"{key}_{code}" for code in content_languages() for key in TRANSLATED_TEXT_KEYS]
        return any(self.add_prefix(name) in self.data for name in names)

    def translation_kwargs(self):
        data = self.cleaned_data
        original = data["original_language"]
        instance = self.translation_instance
        if instance is not None and not self._translations_posted():
            # A form posted without the translation fields leaves the translations alone.
            return {
                "original_language": original,
                "text_translations": dict(instance.text_translations or {}),
            }
        translations = {}
        for code in content_languages():
            summary = (data.get(f"summary_{code}") or "").strip()
            description = (data.get(f"description_{code}") or "").strip()
            if code != original and (summary or description):
                translations[code] = {"summary": summary, "description": description}
        return {"original_language": original, "text_translations": translations}


class SingleLineFormMixin:
    """Every one-line text input of the form refuses control characters
    (``core.validators.validate_single_line``); text areas are left alone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.Textarea | forms.HiddenInput
            ):
                if validate_single_line not in field.validators:
                    field.validators.append(validate_single_line)
