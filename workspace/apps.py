from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Project workspace")

    def ready(self):
        from core.audit import register_activity_actions

        from . import receivers  # noqa: F401 - connects the project-deletion receiver
        from .audit import ACTIONS

        register_activity_actions(*ACTIONS)
