from django import template

from taxonomy.tags import tag_label as _tag_label

register = template.Library()


@register.filter
def tag_label(tag):
    """An offer/seek/need tag's name in the active language (``taxonomy.tags``)."""
    return _tag_label(tag)
