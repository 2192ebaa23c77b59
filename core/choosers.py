"""Chooser widgets and panels for the admin that start without an inline ``<script>``.

Wagtail's page, image and snippet choosers, when rendered as form fields (not inside a
StreamField), are followed by ``<script>new PageChooser(id, options)</script>``; the admin's
Content Security Policy (``cluster/csp.py``: no inline scripts) blocks it and the chooser never
starts. These subclasses render the same constructor name, id and options as JSON in a data
attribute, and ``static/js/admin-choosers.js`` makes the call, also for inline-panel forms added
later.
"""

import json

from django import forms
from django.utils.html import format_html
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.admin.widgets import AdminPageChooser
from wagtail.images.widgets import AdminImageChooser
from wagtail.snippets.widgets import AdminSnippetChooser


class ScriptlessChooserMixin:
    def render(self, name, value, attrs=None, renderer=None):
        try:
            id_ = attrs["id"]
        except (KeyError, TypeError) as error:
            raise TypeError("A chooser cannot be rendered without an 'id' attribute") from error
        value_data = self.get_value_data(value)
        init = {
            "chooser": self.js_constructor,
            "id": id_,
            "options": self.get_js_init_options(id_, name, value_data),
        }
        return format_html(
            '{}<span hidden data-cluster-chooser="{}"></span>',
            self.render_html(name, value_data, attrs),
            json.dumps(init),
        )

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-choosers.js"])


class ScriptlessPageChooser(ScriptlessChooserMixin, AdminPageChooser):
    pass


class ScriptlessImageChooser(ScriptlessChooserMixin, AdminImageChooser):
    pass


class ScriptlessSnippetChooser(ScriptlessChooserMixin, AdminSnippetChooser):
    pass


class ScriptlessPageChooserPanel(PageChooserPanel):
    """``PageChooserPanel`` with ``ScriptlessPageChooser`` (made when the form is built)."""

    def get_form_options(self):
        opts = super().get_form_options()
        opts.setdefault("widgets", {})[self.field_name] = ScriptlessPageChooser(
            target_models=self.page_type, can_choose_root=self.can_choose_root
        )
        return opts


class ScriptlessImageChooserPanel(FieldPanel):
    """``FieldPanel`` for an image foreign key, with ``ScriptlessImageChooser``."""

    def get_form_options(self):
        opts = super().get_form_options()
        opts.setdefault("widgets", {})[self.field_name] = ScriptlessImageChooser()
        return opts


class ScriptlessSnippetChooserPanel(FieldPanel):
    """``FieldPanel`` for a snippet foreign key, with ``ScriptlessSnippetChooser``."""

    def get_form_options(self):
        opts = super().get_form_options()
        model = self.model._meta.get_field(self.field_name).related_model
        opts.setdefault("widgets", {})[self.field_name] = ScriptlessSnippetChooser(model)
        return opts
