from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Performance groundwork: the scale data set command and the page cache's signal wiring."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "scale"
    verbose_name = "Scale"

    def ready(self):
        from cluster import pagecache

        pagecache.connect_signals()
