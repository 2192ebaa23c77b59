"""The editors' Wagtail dashboard: a panel of recent portal activity."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import selectors


class RecentActivityPanel(Component):
    """New members of organizations and new partnerships in projects, newest first."""

    name = "cluster_recent_activity"
    template_name = "home/admin/recent_activity_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["memberships"] = selectors.recent_memberships()
        context["partnerships"] = selectors.recent_partnerships()
        return context


@hooks.register("construct_homepage_panels")
def add_recent_activity_panel(request, panels):
    panels.append(RecentActivityPanel())
