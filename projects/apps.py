from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the workflow signal receivers
        from .mail import replace_wagtail_notifiers

        replace_wagtail_notifiers()
