"""Matchmaking: which organizations offer what a project needs, and which projects need what
an organization offers. Both directions rank with the same documented score.

The score of a (project, organization) pair::

    score = 10 × matched need tags   (project's needs ∩ organization's offers)
          +  3 × shared sectors
          +  2 × same region          (1 if both have the same region, else 0)
          +  1 × shared SDGs

Only pairs with at least one matched need tag are candidates: sector, region and SDGs rank
organizations that can help, they do not make one that cannot help a match. Ties go to the
title, then the id, so the order is stable. Organizations (or projects) already involved —
invited, requested or active — are left out; declined or past partners may be suggested again.

The ranking runs as one SQL query (a correlated count per criterion, pruned to candidates
sharing a tag through the tag index), then three small queries fetch the reasons for the
results shown, so the cost does not grow with the number of results or of candidates in
Python: see ``bench/matchmaking.py`` for timings at 1,000 organizations × 1,000 projects.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from partners.models import PartnerOfferTag, PartnerPage
from taxonomy.tags import label_for

from .models import Participation, ProjectNeedTag, ProjectPage

WEIGHTS = {"needs": 10, "sectors": 3, "region": 2, "sdgs": 1}
_INVOLVED = (
    Participation.Status.INVITED,
    Participation.Status.REQUESTED,
    Participation.Status.ACTIVE,
)
_OPEN = (ProjectPage.Status.IDEA, ProjectPage.Status.FORMING, ProjectPage.Status.ACTIVE)


@dataclass
class Match:
    """One ranked result and why it ranks there."""

    object: object
    score: int
    tags: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    region: object = None
    sdgs: list = field(default_factory=list)


@dataclass(frozen=True)
class _Side:
    """How to reach a candidate's tags, sectors and SDGs (organization or project side)."""

    tag_model: type
    m2m_column: str  # the candidate's column in the sectors/SDGs through tables
    sectors_through: type
    sdgs_through: type


_ORGANIZATIONS = _Side(
    PartnerOfferTag,
    "partnerpage_id",
    PartnerPage.sectors.through,
    PartnerPage.sdgs.through,
)
_PROJECTS = _Side(
    ProjectNeedTag,
    "projectpage_id",
    ProjectPage.sectors.through,
    ProjectPage.sdgs.through,
)


def _count(model, column, **filters):
    rows = (
        model.objects.filter(**{column: OuterRef("pk")}, **filters)
        .order_by()
        .values(column)
        .annotate(n=Count("*"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _rank(candidates, side, *, tag_ids, sector_ids, sdg_ids, region_id, limit):
    if not tag_ids:
        return []
    zero = Value(0, output_field=IntegerField())
    ranked = candidates.filter(
        pk__in=side.tag_model.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    ).annotate(
        m_tags=_count(side.tag_model, "content_object_id", tag_id__in=tag_ids),
        m_sectors=_count(side.sectors_through, side.m2m_column, sector_id__in=sector_ids)
        if sector_ids
        else zero,
        m_sdgs=_count(
            side.sdgs_through, side.m2m_column, sustainabledevelopmentgoal_id__in=sdg_ids
        )
        if sdg_ids
        else zero,
        m_region=Case(When(region_id=region_id, then=Value(1)), default=zero)
        if region_id
        else zero,
    )
    ranked = ranked.annotate(
        score=WEIGHTS["needs"] * F("m_tags")
        + WEIGHTS["sectors"] * F("m_sectors")
        + WEIGHTS["region"] * F("m_region")
        + WEIGHTS["sdgs"] * F("m_sdgs")
    )
    results = list(ranked.order_by("-score", "title", "pk")[:limit])
    if not results:
        return []
    ids = [obj.pk for obj in results]
    tags, sectors, sdgs = defaultdict(list), defaultdict(list), defaultdict(list)
    for pk, tag_id, name in (
        side.tag_model.objects.filter(content_object_id__in=ids, tag_id__in=tag_ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag_id", "tag__name")
    ):
        tags[pk].append(label_for(tag_id, name))
    if sector_ids:
        language = (get_language() or "")[:2]
        for pk, name, *spanish_catalan in (
            side.sectors_through.objects.filter(
                **{f"{side.m2m_column}__in": ids}, sector_id__in=sector_ids
            )
            .order_by("sector__name")
            .values_list(side.m2m_column, "sector__name", "sector__name_es", "sector__name_ca")
        ):
            translated = dict(zip(("es", "ca"), spanish_catalan, strict=True))
            sectors[pk].append(translated.get(language) or name)
    if sdg_ids:
        for pk, number in (
            side.sdgs_through.objects.filter(
                **{f"{side.m2m_column}__in": ids}, sustainabledevelopmentgoal_id__in=sdg_ids
            )
            .order_by("sustainabledevelopmentgoal__number")
            .values_list(side.m2m_column, "sustainabledevelopmentgoal__number")
        ):
            sdgs[pk].append(number)
    return [
        Match(
            object=obj,
            score=obj.score,
            tags=tags[obj.pk],
            sectors=sectors[obj.pk],
            region=obj.region if obj.m_region else None,
            sdgs=sdgs[obj.pk],
        )
        for obj in results
    ]


def organizations_for_project(project, *, limit=10):
    """Approved organizations offering what ``project`` needs, best first, with reasons."""
    involved = Participation.objects.filter(project=project, status__in=_INVOLVED).values(
        "organization_id"
    )
    candidates = PartnerPage.objects.live().exclude(pk__in=involved).select_related("region")
    return _rank(
        candidates,
        _ORGANIZATIONS,
        tag_ids=list(
            ProjectNeedTag.objects.filter(content_object=project).values_list("tag_id", flat=True)
        ),
        sector_ids=list(
            ProjectPage.sectors.through.objects.filter(projectpage_id=project.pk).values_list(
                "sector_id", flat=True
            )
        ),
        sdg_ids=list(
            ProjectPage.sdgs.through.objects.filter(projectpage_id=project.pk).values_list(
                "sustainabledevelopmentgoal_id", flat=True
            )
        ),
        region_id=project.region_id,
        limit=limit,
    )


def projects_for_organization(organization, *, limit=10):
    """Published, open projects needing what ``organization`` offers, best first, with reasons."""
    involved = Participation.objects.filter(
        organization=organization, status__in=_INVOLVED
    ).values("project_id")
    candidates = (
        ProjectPage.objects.live()
        .public()
        .filter(status__in=_OPEN)
        .exclude(pk__in=involved)
        .select_related("region", "lead_organization")
    )
    return _rank(
        candidates,
        _PROJECTS,
        tag_ids=list(
            PartnerOfferTag.objects.filter(content_object=organization).values_list(
                "tag_id", flat=True
            )
        ),
        sector_ids=list(
            PartnerPage.sectors.through.objects.filter(partnerpage_id=organization.pk).values_list(
                "sector_id", flat=True
            )
        ),
        sdg_ids=list(
            PartnerPage.sdgs.through.objects.filter(partnerpage_id=organization.pk).values_list(
                "sustainabledevelopmentgoal_id", flat=True
            )
        ),
        region_id=organization.region_id,
        limit=limit,
    )
