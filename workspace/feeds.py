"""Atom feed of the newest public updates of the cluster's projects, at /feeds/updates/."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import updates_latest


class ProjectUpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = _("News from the Social Cluster's projects")
    link = "/projects/"

    def items(self):
        return updates_latest(limit=30)

    def item_title(self, item):
        return f"{item.project.title}: {item.title}"

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return item.project.url or "/projects/"

    def item_guid(self, item):
        return f"project-update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at
