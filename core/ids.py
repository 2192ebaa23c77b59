"""Integers from forms, URLs and websocket frames, range-checked before they reach a query.

Python's integers have no limit; the database's have: a primary key is a signed 64-bit integer
(``BigAutoField``, PostgreSQL's ``bigint``, SQLite's ``INTEGER``). A larger number sent in a URL
or a form field made SQLite raise ``OverflowError`` and PostgreSQL a ``DataError``: a 500. Every
integer that comes from outside is therefore parsed here first:

- ``parse_id(value)``: a primary key, or ``None``;
- the ``<id:name>`` path converter (registered when the app loads): a URL whose id cannot
  exist matches no route, so it answers 404 like an id that does not exist;
- ``IdModelChoiceField`` / ``IdModelMultipleChoiceField``: a model choice whose submitted
  value is an integer outside the key's range is a bad request (400), which no page of ours can
  send (its options list real keys); anything else keeps Django's "not one of the choices"
  form error. Filter forms, which report unknown values instead, pass ``bad_request=False``.
"""

import re

from django import forms
from django.core.exceptions import BadRequest
from django.db import connections, router
from django.urls import register_converter

ID_MIN = 1
ID_MAX = 2**63 - 1

# ASCII digits only: str.isdigit() and int() also accept "²" or "٣" (Arabic-Indic three).
_INTEGER = re.compile(r"\A[+-]?[0-9]+\Z")
_MAX_DIGITS = 40  # more (leading zeros aside) is out of every range: no need to convert it


def is_integer_text(value):
    """Whether ``value`` is the decimal text of an integer (ASCII digits, optional sign,
    surrounding spaces allowed), whatever its size."""
    return isinstance(value, str) and _INTEGER.match(value.strip()) is not None


def parse_int(value, *, minimum, maximum):
    """``value`` (an int or its decimal text, surrounding spaces allowed) as an int within
    [minimum, maximum], or ``None``. Booleans, floats and other text are ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif is_integer_text(value):
        text = value.strip()
        if len(text.lstrip("+-").lstrip("0")) > _MAX_DIGITS:
            return None
        number = int(text)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value):
    """A primary key from outside (URL, form, websocket frame), or ``None`` when ``value`` is
    not one that can exist."""
    return parse_int(value, minimum=ID_MIN, maximum=ID_MAX)


class IdConverter:
    """``<id:name>``: like ``<int:name>``, but only numbers a primary key can hold."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not an id: {value!r}")  # no match: 404
        return number

    def to_url(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not an id: {value!r}")
        return str(number)


register_converter(IdConverter, "id")


def key_range(queryset, to_field_name=None):
    """The (minimum, maximum) a model choice field's key column holds, or None when the key
    is not an integer column (a slug, a UUID)."""
    model = queryset.model
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    while field.is_relation:  # a page's key is its link to wagtailcore_page
        field = field.target_field
    internal_type = field.get_internal_type()
    if "Integer" not in internal_type and "AutoField" not in internal_type:
        return None
    connection = connections[router.db_for_read(model)]
    low, high = connection.ops.integer_field_range(internal_type)
    return (-(2**63) if low is None else low, ID_MAX if high is None else high)


class _RangeCheckedChoice:
    """Refuses integer values the key column cannot hold before Django queries them."""

    invalid_id_message = "a choice outside the range of its key"

    def __init__(self, *args, bad_request=True, **kwargs):
        self.bad_request = bad_request
        super().__init__(*args, **kwargs)

    def _check_range(self, value):
        if not isinstance(value, str) or value in self.empty_values:
            return  # a model instance, or nothing chosen: Django's own checks
        bounds = key_range(self.queryset, self.to_field_name)
        if bounds is None or parse_int(value, minimum=bounds[0], maximum=bounds[1]) is not None:
            return
        if is_integer_text(value) and self.bad_request:
            raise BadRequest(self.invalid_id_message)
        # Not a number (Django says the same), or out of range in a form that reports it.
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class IdModelChoiceField(_RangeCheckedChoice, forms.ModelChoiceField):
    """``ModelChoiceField`` that range-checks the submitted key (see the module's doc)."""

    def to_python(self, value):
        self._check_range(value)
        return super().to_python(value)


class IdModelMultipleChoiceField(_RangeCheckedChoice, forms.ModelMultipleChoiceField):
    """``ModelMultipleChoiceField`` that range-checks every submitted key."""

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                self._check_range(item)
        return super()._check_values(value)


def range_checked_formfield(db_field, **kwargs):
    """``formfield_callback`` for model forms: their foreign keys and many-to-many fields get
    the range-checked choice fields."""
    if db_field.many_to_many:
        kwargs.setdefault("form_class", IdModelMultipleChoiceField)
    elif db_field.many_to_one or db_field.one_to_one:
        kwargs.setdefault("form_class", IdModelChoiceField)
    return db_field.formfield(**kwargs)
