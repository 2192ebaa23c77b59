from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Performance groundwork: the scale data set command and the page cache's signal wiring."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "scale"
    verbose_name = "Scale"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction

        from core import pagecache
        from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

        pagecache.connect_signals()
        # Vocabulary names show on every card and filter of the cached public pages; a view
        # restriction hides pages from the directories and their facets.
        for model in (Sector, Region, SustainableDevelopmentGoal, PageViewRestriction):
            for signal in (post_save, post_delete):
                signal.connect(
                    pagecache.cache_invalidate_receiver,
                    sender=model,
                    dispatch_uid=f"pagecache-{model._meta.label}-{id(signal)}",
                )
