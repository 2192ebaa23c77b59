from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteSearchConfig(AppConfig):
    """Finding what the cluster publishes: site search, feed, robots.txt (and the API's home).

    Labelled ``sitesearch`` so it does not clash with Wagtail's ``wagtail.search``.
    """

    name = "sitesearch"
    label = "sitesearch"
    verbose_name = _("Site search and open data")
    default_auto_field = "django.db.models.BigAutoField"
