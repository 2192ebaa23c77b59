"""LongSelect writes the same <select> as Django's Select, faster (cluster/widgets.py)."""

import re

import pytest
from django import forms

from core.widgets import LongSelect

CHOICES = [("", "---------"), (1, "Fundació <Pas> & Pas"), (2, 'Say "hi"'), (3, "Third")]


def _html(widget, value):
    html = widget.render(
        "organization",
        value,
        attrs={"id": "id_organization", "required": True, "aria-invalid": "true"},
    )
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", 2, "3"])
def test_same_markup_as_django_select(value):
    ours = _html(LongSelect(choices=CHOICES), value)
    assert ours == _html(forms.Select(choices=CHOICES), value)
    assert "&lt;Pas&gt; &amp; Pas" in ours and "Say &quot;hi&quot;" in ours
    # The chosen organization, or the empty choice when there is none.
    assert ours.count(" selected") == 1
    expected = str(value) if value else ""
    assert f'<option value="{expected}" selected>' in ours
