"""Reads about impact maps that depend on who is asking, with the prefetches they need."""

from django.db.models import Prefetch

from partners.models import PartnerPage
from projects.models import ProjectPage
from projects.selectors import can_coordinate, can_enter_workspace

from .models import FinancialProxy, ImpactMap, Input, Outcome, Output, Stakeholder

EDIT = "edit"
READ = "read"

KIND_ORDER = {ImpactMap.Kind.FORECAST: 0, ImpactMap.Kind.EVALUATIVE: 1}


def impact_access(user, project):
    """``EDIT`` for coordinators, ``READ`` for the rest of the team, ``None`` for others.

    The working copy of a map is as private as the project workspace.
    """
    if not user.is_authenticated:
        return None
    if can_coordinate(user, project):
        return EDIT
    if can_enter_workspace(user, project):
        return READ
    return None


def project_get(project_id):
    """The project, or ``None``: callers answer 404 before saying anything about access."""
    return ProjectPage.objects.filter(pk=project_id).first()


def with_rows(queryset):
    """Maps with every row the report needs, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch(
            "stakeholders",
            queryset=Stakeholder.objects.prefetch_related(
                Prefetch(
                    "outcomes",
                    queryset=Outcome.objects.order_by("id").prefetch_related(
                        "price_index__values"
                    ),
                )
            ),
        ),
        Prefetch("inputs", queryset=Input.objects.select_related("organization")),
        Prefetch("outputs", queryset=Output.objects.order_by("id")),
    )


def impact_maps_of_project(project, *, rows=True):
    maps = ImpactMap.objects.filter(project=project)
    if rows:
        maps = with_rows(maps)
    return sorted(maps, key=lambda m: KIND_ORDER[m.kind])


def impact_map_get(project, kind, *, rows=True):
    maps = ImpactMap.objects.filter(project=project, kind=kind)
    if rows:
        maps = with_rows(maps)
    return maps.first()


def rows_of(impact_map, section):
    """The rows of one section of a map, for its editor."""
    if section == "outcomes":
        return Outcome.objects.filter(stakeholder__impact_map=impact_map).order_by(
            "stakeholder_id", "id"
        )
    if section == "outputs":
        return impact_map.outputs.order_by("id")
    if section == "inputs":
        return impact_map.inputs.order_by("id")
    return impact_map.stakeholders.order_by("id")


def published_maps_of_project(project):
    """The published maps of a published project (their frozen reports), forecast first."""
    if not project.live:
        return []
    maps = ImpactMap.objects.filter(project=project, published=True).exclude(published_report=None)
    return sorted(maps, key=lambda m: KIND_ORDER[m.kind])


def published_maps_of_projects(projects):
    """The published maps (frozen reports) of those of ``projects`` that are live."""
    ids = [project.pk for project in projects if project.live]
    return list(
        ImpactMap.objects.filter(project_id__in=ids, published=True).exclude(published_report=None)
    )


def has_public_report(project):
    """Whether the project's open report (``/impact/projects/<id>/``) has something to show."""
    if not project.live:
        return False
    return (
        ImpactMap.objects.filter(project=project, published=True)
        .exclude(published_report=None)
        .exists()
    )


def published_maps():
    """Every published map of a published project, with the project and its SDGs."""
    return list(
        ImpactMap.objects.filter(published=True, project__live=True)
        .exclude(published_report=None)
        .select_related("project")
        .prefetch_related("project__sdgs")
        .order_by("project__title", "project_id", "-kind")
    )


def contributor_organizations(project):
    """Organizations that can be named as contributors: those that took part in the project.

    Partners that have since left are included: what they put in still counts.
    """
    return (
        PartnerPage.objects.live()
        .filter(participations__project=project, participations__status__in=["active", "left"])
        .distinct()
        .order_by("title")
    )


def financial_proxies():
    return FinancialProxy.objects.all()
