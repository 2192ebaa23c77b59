"""The editors' Wagtail admin: a dashboard panel of portal activity, and what editors may not do.

Wagtail lets anyone who may edit a page delete it, and anyone who may add pages copy them.
Organizations and projects keep most of their data outside the page (memberships, teams,
chat), so deleting or copying them in the admin would silently lose or orphan it: only
superusers may delete pages, and nobody but them may copy partner or project pages. Editors
unpublish instead.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from . import selectors

NOT_COPIABLE = {"partners.partnerpage", "projects.projectpage"}


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


@hooks.register("before_delete_page")
def only_superusers_delete_pages(request, page):
    if not request.user.is_superuser:
        messages.error(request, _("Only administrators can delete pages. Unpublish it instead."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def only_superusers_bulk_delete_pages(request, action_type, objects, action_class_instance):
    model = getattr(action_class_instance, "model", None)
    is_page = isinstance(model, type) and issubclass(model, Page)
    if action_type == "delete" and is_page and not request.user.is_superuser:
        messages.error(request, _("Only administrators can delete pages. Unpublish them instead."))
        return redirect(action_class_instance.next_url)
    return None


@hooks.register("before_copy_page")
def no_copies_of_organizations_or_projects(request, page):
    if not request.user.is_superuser and page.specific_class._meta.label_lower in NOT_COPIABLE:
        messages.error(
            request,
            _(
                "Organizations and projects cannot be copied: their members and teams would "
                "not be."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
