from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from home.selectors import latest_projects

FEED_LENGTH = 30


class NewProjectsFeed(Feed):
    """Atom feed of the newest published projects, at /feeds/projects/."""

    feed_type = Atom1Feed
    title = _("New projects of the Social Cluster")
    subtitle = _("Social projects run together by the cluster's partner organizations.")
    link = "/projects/"

    def items(self):
        return latest_projects(limit=FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"project-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        lead = item.lead_organization
        return lead.title if lead is not None and lead.live else None

    def item_categories(self, item):
        return [str(goal) for goal in item.sdgs.all()]
