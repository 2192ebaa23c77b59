"""Admin and portal hooks: the shared proxy library (a snippet), the workspace panel, and the
personal data impact holds."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.figures import HOOK as FIGURES_HOOK
from core.figures import ClusterFigure
from core.personal_data import HOOK, PersonalData
from core.project_figures import HOOK as PROJECT_FIGURES_HOOK
from core.project_figures import ProjectFigure

from . import personal_data, selectors
from .models import FinancialProxy, PriceIndex
from .presentation import format_money, report_summary
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


def social_value_rows():
    """One row per published project with a published report (the evaluative one if any): its
    social value (present value), inputs and SROI ratio, as the open report gives them."""
    chosen = {}
    for impact_map in selectors.published_maps():
        if impact_map.project_id not in chosen or impact_map.kind == "evaluative":
            chosen[impact_map.project_id] = impact_map
    rows = []
    for impact_map in sorted(chosen.values(), key=lambda m: (m.project.title, m.project_id)):
        summary = report_summary(impact_map.published_report)
        rows.append(
            (
                impact_map.project.title,
                summary["kind_label"],
                summary["currency"],
                summary["total_present_value"],
                summary["total_inputs"],
                summary["sroi_ratio"] if summary["sroi_ratio"] is not None else "",
            )
        )
    return rows


@hooks.register(FIGURES_HOOK)
def social_value_figure():
    return ClusterFigure(
        name="social-value",
        label=_("Social value of published SROI reports"),
        columns=(
            _("Project"),
            _("Report"),
            _("Currency"),
            _("Social value (present value)"),
            _("Inputs"),
            _("SROI ratio"),
        ),
        rows=social_value_rows,
        note=_("One report per project: the evaluative one when published, else the forecast."),
    )


@hooks.register(PROJECT_FIGURES_HOOK)
def sroi_headline_figures(projects):
    """The published SROI of each project (the evaluative report when there is one, else the
    forecast): its ratio and social value, linked to the open report. One query."""
    chosen = {}
    for impact_map in selectors.published_maps_of_projects(projects):
        if impact_map.project_id not in chosen or impact_map.kind == "evaluative":
            chosen[impact_map.project_id] = impact_map
    figures = {}
    for project_id, impact_map in chosen.items():
        summary = report_summary(impact_map.published_report)
        url = reverse("impact:report", args=[project_id])
        rows = []
        if summary["sroi_ratio"] not in (None, ""):
            ratio = f"{format_money(summary['sroi_ratio'])} : 1"
            rows.append(ProjectFigure(label=_("SROI ratio"), value=ratio, url=url))
        value = f"{format_money(summary['total_present_value'])} {summary['currency']}"
        rows.append(ProjectFigure(label=_("Social value (present value)"), value=value, url=url))
        figures[project_id] = rows
    return figures
