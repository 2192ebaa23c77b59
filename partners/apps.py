from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner organizations")

    def ready(self):
        from . import receivers  # noqa: F401 - connects this app's signal receivers
