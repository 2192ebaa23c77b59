from django import template
from django.utils import translation
from django.utils.html import format_html

from core.textlang import guess_language

register = template.Library()


@register.filter
def lang_attr_of(text):
    """` lang="es"` when ``text`` (written by a person) is clearly in another language than the
    page's, else nothing (see ``core.textlang``)."""
    language = guess_language(text)
    if not language or language == (translation.get_language() or "")[:2]:
        return ""
    return format_html(' lang="{}"', language)
