"""Admin and portal hooks: the shared proxy library (a snippet), the workspace panel, and the
personal data impact holds."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.personal_data import HOOK, PersonalData

from . import personal_data, selectors
from .models import FinancialProxy, PriceIndex
from .presentation import report_summary
from .report import build_report


class FinancialProxyViewSet(SnippetViewSet):
    """Editors curate the shared proxies here; the list says how many projects use each."""

    model = FinancialProxy
    icon = "table"
    menu_label = _("Financial proxies")
    menu_order = 300
    add_to_admin_menu = True
    list_display = [
        "outcome",
        "indicator",
        "value",
        "currency",
        "year",
        Column("project_count", label=_("Used in projects"), sort_key="project_count"),
    ]
    list_filter = ["currency", "year"]
    search_fields = ["outcome", "indicator", "source"]

    def get_queryset(self, request):
        return FinancialProxy.objects.annotate(
            project_count=Count("outcomes__stakeholder__impact_map__project", distinct=True)
        ).order_by("outcome", "id")


register_snippet(FinancialProxyViewSet)


class PriceIndexViewSet(SnippetViewSet):
    """Editors keep the price indices (a consumer price index by year) that bring proxies
    valued in one year to the prices of a map's first year; add each year as it is published."""

    model = PriceIndex
    icon = "calendar"
    menu_label = _("Price indices")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", Column("outcome_count", label=_("Used by outcomes"))]
    search_fields = ["name", "source"]

    def get_queryset(self, request):
        return PriceIndex.objects.annotate(outcome_count=Count("outcomes")).order_by("name", "id")


register_snippet(PriceIndexViewSet)


@hooks.register("project_workspace_panels", order=50)
def workspace_panel(request, project):
    """The project's impact maps in its workspace: figures, state, and where to edit."""
    access = selectors.impact_access(request.user, project)
    if access is None:
        return ""
    maps = selectors.impact_maps_of_project(project)
    entries = [(m, report_summary(build_report(m))) for m in maps]
    return render_to_string(
        "impact/includes/workspace_panel.html",
        {
            "project": project,
            "entries": entries,
            "can_edit": access == selectors.EDIT,
            "public_report": project.live and any(m.published for m in maps),
        },
        request=request,
    )


@hooks.register("project_page_panels")
def public_report_panel(request, project):
    """A link to the project's open impact report on its public page, once one is published."""
    if not selectors.has_public_report(project):
        return ""
    return render_to_string(
        "impact/includes/project_page_panel.html", {"project": project}, request=request
    )


@hooks.register(HOOK)
def impact_personal_data():
    return PersonalData(
        section="impact_maps",
        export=personal_data.impact_maps_export,
        models=("impact.ImpactMap",),
    )
