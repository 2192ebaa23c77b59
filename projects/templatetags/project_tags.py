from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import pagecache

register = template.Library()


@register.simple_tag
def lead_facet(directory):
    """The directory's lead organization facet, rendered once per publish and selection.

    One checkbox per organization that leads a published project: well over a thousand at the
    size of a real cluster network, the same for every visitor. Rendering them was most of an
    uncached directory request, so the HTML is kept with ``pagecache.memo`` (per language and
    selection) and only rebuilt after a publish.
    """
    if not directory.leads:
        return ""
    selected = directory.selected["lead"]
    key = f"projects.directory.lead-facet.{get_language()}.{','.join(selected)}"
    context = {"leads": directory.leads, "selected": selected}
    html = pagecache.memo(
        key, lambda: str(render_to_string("projects/includes/lead_facet.html", context))
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template
