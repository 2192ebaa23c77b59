from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Project chat")

    def ready(self):
        from . import receivers  # noqa: F401 - connects this app's signal receivers
