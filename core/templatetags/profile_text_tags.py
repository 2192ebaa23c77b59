"""Partner and project texts in the visitor's language (``core.i18n_content``)."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

from core.i18n_content import LocalizedText, locale_language

register = template.Library()


@register.simple_tag
def profile_text(page, key="summary"):
    """The LocalizedText of ``page``'s ``key`` ("summary" or "description") for the visitor.

    Works on any object with a ``summary``: one without translations is its own original.
    """
    texts_in = getattr(page, "texts_in", None)
    if texts_in is not None:
        return texts_in()[key]
    return LocalizedText(getattr(page, key, ""), None, is_translation=False, fallback=False)


@register.simple_tag
def fallback_language(*texts):
    """The language of the first text shown in its original language for want of a
    translation, or "" when every text is in the visitor's language."""
    for text in texts:
        if getattr(text, "fallback", False):
            return text.language
    return ""


@register.simple_tag
def content_lang(page):
    """` lang="…"` for a text of ``page`` (its title, intro) written in another language than
    the page is read in, so screen readers read it with the right voice; else "".

    The language is the partner's or project's original language, else the Wagtail page's
    locale."""
    active = (translation.get_language() or "").split("-")[0]
    language = getattr(page, "original_language", "") or ""
    if not language and getattr(page, "locale_id", None) and active != settings.LANGUAGE_CODE:
        # A page of another locale is served under its own prefix: only a page of the default
        # locale, shown for want of a translation, can be read in another language.
        language = locale_language(page.locale_id)
    if not language or language.split("-")[0] == active:
        return ""
    return format_html(' lang="{}"', language)


@register.simple_tag
def in_content_lang(page, text=None):
    """``text`` (``page``'s title by default) wrapped in ``<span lang="…">`` when it is written
    in another language than the page is read in (see ``content_lang``); else the text alone.

    For titles inside a translated sentence ("Social impact of …") and in lists, where the
    element around them holds interface words too."""
    if text is None:
        text = getattr(page, "title", "")
    attr = content_lang(page)
    if not attr:
        return format_html("{}", text)
    return format_html("<span{}>{}</span>", attr, text)
