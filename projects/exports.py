"""Open data: the project directory as CSV or JSON, with the same filters as the page.

Only published, public projects and only their public fields: no team, no pending
invitations or requests, no proposer, nothing from the workspace.
"""

import csv

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse

from .selectors import project_directory_queryset

FIELDS = (
    "id",
    "title",
    "url",
    "status",
    "summary",
    "lead_organization",
    "lead_organization_url",
    "partners",
    "region",
    "sectors",
    "sdgs",
    "needs",
    "start_date",
    "end_date",
    "first_published_at",
)


def _organization_url(request, organization):
    if organization is None or not organization.live:
        return ""
    return organization.get_full_url(request) or ""


def project_record(request, project):
    lead = project.lead_organization
    return {
        "id": project.pk,
        "title": project.title,
        "url": project.get_full_url(request),
        "status": project.status,
        "summary": project.summary,
        "lead_organization": lead.title if lead else "",
        "lead_organization_url": _organization_url(request, lead),
        "partners": [p.organization.title for p in project.active_partners],
        "region": project.region.name if project.region else "",
        "sectors": [sector.name for sector in project.sectors.all()],
        "sdgs": [sdg.number for sdg in project.sdgs.all()],
        "needs": [item.tag.name for item in project.need_items.all()],
        "start_date": project.start_date,
        "end_date": project.end_date,
        "first_published_at": project.first_published_at,
    }


def directory_export(request, export_format):
    records = [
        project_record(request, project)
        for project in project_directory_queryset(request.GET, prefetch_partners=True)
    ]
    if export_format == "json":
        response = JsonResponse(
            {"count": len(records), "fields": list(FIELDS), "results": records},
            encoder=DjangoJSONEncoder,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Content-Disposition"] = 'inline; filename="projects.json"'
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="projects.csv"'
        writer = csv.writer(response)
        writer.writerow(FIELDS)
        for record in records:
            writer.writerow(
                [
                    "; ".join(map(str, value)) if isinstance(value, list) else _cell(value)
                    for value in (record[name] for name in FIELDS)
                ]
            )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # Spreadsheet apps run cells that start with these as formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
