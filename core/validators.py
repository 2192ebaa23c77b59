"""Validators shared by every app's models and forms.

``validate_single_line`` refuses control characters (line breaks, tabs, NUL, the Unicode line
and paragraph separators…) in a value that is one line by nature: a name, a title, a city. Such
a value ends up in e-mail subjects (where a line break is a header injection, and Django
refuses to send), in CSV cells, in page titles and in log lines.

Models apply it to all their ``CharField``s with ``SingleLineFieldsMixin`` (so Wagtail's admin
forms, the portal's services and anything calling ``full_clean()`` refuse it); portal forms
built by hand get it on every one-line text input with ``core.forms.SingleLineFormMixin``.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters (tab, line feed and carriage return among them), DEL, and the
# Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

MESSAGE = _(
    "Write this on one line: line breaks, tabs and other control characters are not allowed."
)


def validate_single_line(value):
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(MESSAGE, code="control_characters")


class SingleLineFieldsMixin:
    """Check every ``CharField`` of the model (inherited ones such as a page's title too) with
    ``validate_single_line`` in ``clean_fields``; list multi-line ones in
    ``multi_line_fields``. No field changes, so no migration."""

    multi_line_fields = ()

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if (
                isinstance(field, models.CharField)
                and field.name not in exclude
                and field.name not in self.multi_line_fields
                and field.name not in errors
            ):
                try:
                    validate_single_line(getattr(self, field.attname))
                except ValidationError as error:
                    errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)
