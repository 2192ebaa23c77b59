from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")

    def ready(self):
        from wagtail.signals import copy_for_translation_done

        from .receivers import home_translated

        copy_for_translation_done.connect(home_translated, dispatch_uid="home-translated")
