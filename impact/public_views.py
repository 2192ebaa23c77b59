"""Public pages: each project's open impact report, its downloads, and the cluster's totals.

They show only what coordinators published (the frozen report) of published projects.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from core import opendata
from core.ids import parse_id

from . import selectors
from .charts import hbar, vbar
from .models import ImpactMap
from .presentation import KIND_LABELS, format_money, report_context, report_summary
from .report import cluster_totals, report_csv_rows


def _published(project_id):
    project_id = parse_id(project_id)  # the download's route is a regular expression
    project = selectors.project_get(project_id) if project_id else None
    if project is None or not project.live:
        raise Http404
    maps = selectors.published_maps_of_project(project)
    if not maps:
        raise Http404
    return project, maps


def _content_lang_attr(project):
    """` lang="…"` for the texts the coordinators wrote (in the project's original language)
    when the page is read in another language, so screen readers switch voice; else ""."""
    language = project.original_language
    if not language or language == translation.get_language():
        return ""
    return format_html(' lang="{}"', language)


def report(request, project_id):
    project, maps = _published(project_id)
    reports = [report_context(m.published_report) for m in maps]
    return render(
        request,
        "impact/report.html",
        {
            "project": project,
            "project_url": project.get_url(request),
            "reports": reports,
            "side_by_side": len(reports) > 1,
            "content_lang_attr": _content_lang_attr(project),
        },
    )


def report_download(request, project_id, kind, fmt):
    project, maps = _published(project_id)
    impact_map = next((m for m in maps if m.kind == kind), None)
    if impact_map is None:
        raise Http404
    data = impact_map.published_report
    filename = f"impact-{project.slug}-{kind}.{fmt}"
    if fmt == "csv":
        return opendata.csv_response(report_csv_rows(data, title=project.title), filename=filename)
    document = {
        "project": {
            "id": project.pk,
            "title": project.title,
            "url": project.get_full_url(request),
            "report_url": request.build_absolute_uri(reverse("impact:report", args=[project.pk])),
        },
        **data,
    }
    return opendata.json_response(document, filename=filename, attachment=True, indent=2)


def cluster(request):
    """Totals across every published report: one report per project (evaluative if any)."""
    chosen = {}
    for impact_map in selectors.published_maps():
        current = chosen.get(impact_map.project_id)
        if current is None or impact_map.kind == ImpactMap.Kind.EVALUATIVE:
            chosen[impact_map.project_id] = impact_map
    maps = list(chosen.values())
    entries = [
        {
            "report": m.published_report,
            "sdgs": [(s.number, s.name, s.colour) for s in m.project.sdgs.all()],
        }
        for m in maps
    ]
    totals = cluster_totals(entries)
    for total in totals:
        total["sdg_chart"] = hbar(
            (
                f"{row['number']}. {row['name']}" if row["number"] else "—",
                row["present_value"],
                format_money(row["present_value"]),
            )
            for row in total["sdgs"]
        )
        total["year_chart"] = vbar(
            (row["year"], row["present_value"], format_money(row["present_value"]))
            for row in total["years"]
        )
    rows = [
        {
            "project": m.project,
            "report_url": reverse("impact:report", args=[m.project_id]),
            **report_summary(m.published_report),
        }
        for m in maps
    ]
    return render(
        request,
        "impact/cluster.html",
        {"totals": totals, "rows": rows, "kind_labels": KIND_LABELS},
    )
