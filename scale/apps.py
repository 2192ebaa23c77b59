from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Performance groundwork: the scale data set command."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "scale"
    verbose_name = "Scale"
