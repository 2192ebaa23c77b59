from decimal import Decimal

from django import template

from ..presentation import (
    ASSUMPTION_LABELS,
    INPUT_KIND_LABELS,
    KIND_LABELS,
    STARTS_LABELS,
    format_money,
    format_number,
)

register = template.Library()


@register.filter
def money(value):
    """A report amount ("12345.60") with grouping, in the reader's locale: 12,345.60."""
    return format_money(value)


@register.filter
def number(value):
    return format_number(value)


@register.filter
def assumption_label(value):
    return ASSUMPTION_LABELS.get(value, value)


@register.filter
def kind_label(value):
    return KIND_LABELS.get(value, value)


@register.filter
def input_kind_label(value):
    return INPUT_KIND_LABELS.get(value, value)


@register.filter
def starts_label(value):
    return STARTS_LABELS.get(value, value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent_of_one(value):
    """A share given from 0 to 1 ("0.40") as a percentage number in the reader's locale: 40."""
    if value in (None, ""):
        return ""
    return format_number(str(Decimal(str(value)) * 100))
