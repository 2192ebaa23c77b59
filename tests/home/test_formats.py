"""Dates in English are written day first, as in Spanish and Catalan."""

from datetime import date

from django.template import Context, Template
from django.utils import translation


def test_english_dates_are_day_first():
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} · {{ day|date }}')
    with translation.override("en"):
        assert template.render(Context({"day": date(2026, 12, 3)})) == "03/12/2026 · 3 Dec 2026"
    with translation.override("ca"):
        assert template.render(Context({"day": date(2026, 12, 3)})).startswith("03/12/2026")
