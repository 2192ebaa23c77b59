"""Pages in several languages without copying every page into every locale.

Editors translate the editorial pages (home, standard pages, directories) with Wagtail's
``simple_translation``; each locale has its own tree, served under its language prefix
(/es/…, /ca/…). Partner and project pages are different: organizations own them (guardian
permissions, memberships, workspaces hang off their primary keys) and there are thousands, so
they exist once, in the default locale, and carry their own texts in several languages
(``ProfileTextsMixin``).

``LocaleFallbackMixin`` makes that work: a page that cannot find a subpage in its own locale's
tree asks the default-locale version of itself, so /es/partners/<slug>/ reaches the one partner
page (rendered with the Spanish interface, since the prefix chose the language), and so does
/ca/about/ while "About" has no Catalan translation yet. A default-locale page linked while
another content language is active links to its address under that language's prefix, so a
visitor stays in the language they chose as they move around.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale


def content_languages():
    return dict(settings.WAGTAIL_CONTENT_LANGUAGES)


def url_in_language(path, language):
    """``path`` of a default-language page (unprefixed) under ``language``'s prefix."""
    if language == settings.LANGUAGE_CODE or translation.get_language_from_path(path):
        return path
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


_locale_languages = {}


def locale_language(locale_id):
    """The language code of the Wagtail locale ``locale_id``, without a query per page: the few
    locales are read once and read again whenever one is saved or deleted."""
    if locale_id not in _locale_languages:
        reread_locales()
    return _locale_languages.get(locale_id, "")


def reread_locales():
    _locale_languages.clear()
    _locale_languages.update(Locale.objects.values_list("pk", "language_code"))


class LocaleFallbackMixin:
    """Route to the default locale's version of this page when its own tree lacks a subpage,
    and give default-locale pages URLs in the active content language (see the module)."""

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            original = self.default_locale_version()
            if original is None:
                raise
            return original.route(request, path_components)

    def default_locale_version(self):
        """The default locale's translation of this page, or None (this page is it or none)."""
        try:
            default = Locale.get_default()
        except Locale.DoesNotExist:
            return None
        if self.locale_id == default.pk:
            return None
        original = self.get_translation_or_none(default)
        return original.specific if original is not None else None

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if not parts or parts[2] is None:
            return parts
        language = translation.get_language()
        if not language or language not in content_languages():
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, url_in_language(page_path, language)


def language_versions(page, translations):
    """``{language: the page that is its version}`` for ``page``, given its live Wagtail
    translations (``page`` included). Partner and project pages (``ProfileTextsMixin``) exist
    once and are served in every content language with their texts in it, so every language is
    one of their versions; a page reached under another prefix through ``LocaleFallbackMixin``
    (English text) is not."""
    versions = {version.locale.language_code: version for version in translations}
    if isinstance(page, ProfileTextsMixin):
        versions = dict.fromkeys(content_languages(), page) | versions
    return versions


def version_urls(versions, request=None):
    """``{language: absolute URL}`` of ``versions`` (see ``language_versions``), in the order
    of the content languages; a version without a URL is left out."""
    urls = {}
    for code in content_languages():
        version = versions.get(code)
        if version is None:
            continue
        with translation.override(code):
            url = version.get_full_url(request)
        if url:
            urls[code] = url
    return urls


# --- Profiles in several languages --------------------------------------------------------

TRANSLATED_TEXT_KEYS = ("summary", "description")
SUMMARY_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 20_000
# What a multi-line text may not hold: control characters other than tab and line breaks (NUL
# cannot even be stored in PostgreSQL's jsonb), and lone surrogates (not encodable as UTF-8).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def language_name(code):
    """The language's own name ("Català", "Español"), for notes shown to visitors."""
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return code


class LocalizedText:
    """One text of a profile as a visitor sees it: in their language, or the original, marked.

    ``value`` is a plain string for a translation, or the page's own field value (a string or a
    StreamField) for the original; ``is_translation`` tells the template which to render.
    """

    def __init__(self, value, language, *, is_translation, fallback):
        self.value = value
        self.language = language
        self.is_translation = is_translation
        self.fallback = fallback

    @property
    def language_name(self):
        return language_name(self.language)

    def __bool__(self):
        return bool(self.value)


class ProfileTextsMixin(models.Model):
    """The public texts of a partner or project page written in more than one language.

    The page's own summary and description are the original, written in ``original_language``;
    ``text_translations`` holds the others as plain text, ``{"es": {"summary": …,
    "description": …}}``. They are ordinary fields of the page, so revisions, moderation, the
    API and the search index carry them with everything else. ``TEXT_FIELDS`` maps the two
    keys to the page type's own field names.
    """

    TEXT_FIELDS = {"summary": "summary", "description": "description"}

    original_language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.WAGTAIL_CONTENT_LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the summary and description are written in."),
    )
    text_translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The summary and description in other languages."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.text_translations = self._cleaned_translations(self.text_translations)

    def _cleaned_translations(self, translations):
        if not isinstance(translations, dict):
            raise ValidationError({"text_translations": _("Translations must be a mapping.")})
        cleaned = {}
        for code, texts in translations.items():
            if code not in content_languages() or not isinstance(texts, dict):
                raise ValidationError(
                    {
                        "text_translations": _("“%(code)s” is not a content language.")
                        % {"code": code}
                    }
                )
            if code == self.original_language:
                raise ValidationError(
                    {
                        "text_translations": _(
                            "The texts are already written in %(language)s, their original "
                            "language."
                        )
                        % {"language": language_name(code)}
                    }
                )
            if set(texts) - set(TRANSLATED_TEXT_KEYS) or not all(
                isinstance(value, str) for value in texts.values()
            ):
                raise ValidationError({"text_translations": _("Unknown translated text.")})
            if any(UNSTORABLE.search(value) for value in texts.values()):
                raise ValidationError(
                    {
                        "text_translations": _(
                            "A translated text holds control characters or broken characters; "
                            "remove them and save again."
                        )
                    }
                )
            summary = texts.get("summary", "").strip()
            description = texts.get("description", "").strip()
            if len(summary) > SUMMARY_MAX_LENGTH or len(description) > DESCRIPTION_MAX_LENGTH:
                raise ValidationError({"text_translations": _("A translated text is too long.")})
            if summary or description:
                cleaned[code] = {"summary": summary, "description": description}
        return cleaned

    def translated_texts(self):
        """Every translation as one text, for the search index."""
        return "\n".join(
            f"{texts.get('summary', '')}\n{texts.get('description', '')}"
            for texts in (self.text_translations or {}).values()
        )

    def texts_in(self, language=None):
        """{"summary": LocalizedText, "description": LocalizedText} for a visitor of
        ``language`` (the active one by default)."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        translated = (self.text_translations or {}).get(language) or {}
        texts = {}
        for key, field in self.TEXT_FIELDS.items():
            original = getattr(self, field)
            if language != self.original_language and translated.get(key):
                texts[key] = LocalizedText(
                    translated[key], language, is_translation=True, fallback=False
                )
            else:
                texts[key] = LocalizedText(
                    original,
                    self.original_language,
                    is_translation=False,
                    fallback=bool(original) and language != self.original_language,
                )
        return texts
