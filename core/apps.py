from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel: the kit every app shares (audit trail, page cache, kept results, open data,
    uploads, rate limits, roles, language helpers, shared blocks, widgets and admin forms).

    It imports no other app of the project; apps above it register what it needs to know
    through signals and Wagtail hooks it defines.
    """

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import receivers  # noqa: F401 - connects this app's signal receivers
        from .ids import IdConverter  # noqa: F401 - registers the <id:…> path converter
