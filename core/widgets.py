"""Form widgets shared by the portal's apps."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A ``<select>`` for lists of thousands of options (every organization of the cluster).

    Django renders each option through its own template, about a tenth of a millisecond apiece:
    two thousand organizations were most of a project workspace's time. This writes the options
    directly, escaped the same way; the ``<select>`` keeps every attribute the form gives it
    (``id``, ``required``, ``aria-*``). Flat choices only, no option groups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        attrs = self.build_attrs(self.attrs, attrs)
        # As Django's attrs.html writes them: in order, True as a bare name, False left out.
        written = format_html_join(
            "",
            "{}",
            (
                (_attribute(key, value),)
                for key, value in attrs.items()
                if value is not False and value is not None
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, written, options)


def _attribute(key, value):
    return format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
