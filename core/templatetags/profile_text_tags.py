"""Partner and project texts in the visitor's language (``core.i18n_content``)."""

from django import template

from core.i18n_content import LocalizedText

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
