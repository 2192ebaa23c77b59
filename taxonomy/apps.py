from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "taxonomy"
    verbose_name = _("Taxonomies")

    def ready(self):
        from . import receivers  # noqa: F401 - connects this app's signal receivers
