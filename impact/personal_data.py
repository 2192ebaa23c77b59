"""What impact keeps about a person: the impact maps they started (the map is the project's;
``created_by`` empties itself with the account, so nothing needs forgetting)."""

from core.personal_data import when

from .models import ImpactMap


def impact_maps_export(user):
    return [
        {
            "project": {"id": row.project_id, "title": row.project.title},
            "kind": row.kind,
            "created_at": when(row.created_at),
        }
        for row in ImpactMap.objects.filter(created_by=user)
        .select_related("project")
        .order_by("created_at", "pk")
    ]
