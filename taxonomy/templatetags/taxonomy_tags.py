from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

from taxonomy.tags import is_proposed
from taxonomy.tags import tag_label as _tag_label

register = template.Library()


@register.filter
def tag_label(tag):
    """An offer/seek/need tag's name in the active language (``taxonomy.tags``).

    A tag nobody has translated yet shows its own (English) name, marked ``lang`` so that a
    screen reader does not read it with the page's voice.
    """
    label = _tag_label(tag)
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    if label == tag.name and language != settings.LANGUAGE_CODE:
        return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, label)
    return label


@register.filter
def tag_proposed(tag):
    """Whether the tag is a proposal editors have not reviewed: shown where it was typed, but
    not linked to a directory filter that does not offer it yet."""
    return is_proposed(tag)
