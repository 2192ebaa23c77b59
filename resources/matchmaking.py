"""Matchmaking with shared resources: open offers that answer what a project needs or an
organization seeks, each with its reasons. The score follows ``projects.matchmaking``::

    score = 10 × matched tags     (the project's needs / organization's seeks ∩ listing's tags)
          +  3 × shared sectors
          +  2 × same region
          +  1 × shared SDGs

An organization's seeks are matched on their tags only (the dashboard asks for all of a
person's organizations at once). Only listings sharing at least one tag are candidates
(sectors, region and SDGs rank those that can help; they do not make a match). Ties go to the
newest listing. Only offers the person may see are matched, never the asking organizations'
own. A constant number of queries: the candidates with their tags, sectors and SDGs prefetched.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import Listing, ListingTag
from .selectors import listings_visible

WEIGHTS = {"tags": 10, "sectors": 3, "region": 2, "sdgs": 1}
CANDIDATES = 200  # the newest candidates sharing a tag are ranked


@dataclass
class ListingMatch:
    listing: Listing
    score: int
    tags: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    region: object = None
    sdgs: list = field(default_factory=list)


def _ids(manager):
    return {row.pk for row in manager.all()}


def listings_matching(
    viewer, *, tag_ids, sector_ids=(), sdg_ids=(), region_id=None, exclude_org_ids=(), limit=5
):
    tag_ids, sector_ids, sdg_ids = set(tag_ids), set(sector_ids), set(sdg_ids)
    if not tag_ids:
        return []
    candidates = (
        listings_visible(viewer)
        .filter(
            type=Listing.Type.OFFER,
            pk__in=ListingTag.objects.filter(tag_id__in=tag_ids).values("content_object_id"),
        )
        .exclude(organization_id__in=list(exclude_org_ids))
        .select_related("organization", "region")
        .prefetch_related(
            Prefetch("tagged_items", queryset=ListingTag.objects.select_related("tag")),
            *(["sectors"] if sector_ids else []),
            *(["sdgs"] if sdg_ids else []),
        )
        .order_by("-created_at", "-pk")[:CANDIDATES]
    )
    matches = []
    for listing in candidates:
        tags = sorted(
            item.tag.name for item in listing.tagged_items.all() if item.tag_id in tag_ids
        )
        sectors = (
            sorted(str(s) for s in listing.sectors.all() if s.pk in sector_ids)
            if sector_ids
            else []
        )
        sdgs = sorted(g.number for g in listing.sdgs.all() if g.pk in sdg_ids) if sdg_ids else []
        same_region = bool(region_id) and listing.region_id == region_id
        score = (
            WEIGHTS["tags"] * len(tags)
            + WEIGHTS["sectors"] * len(sectors)
            + WEIGHTS["region"] * same_region
            + WEIGHTS["sdgs"] * len(sdgs)
        )
        matches.append(
            ListingMatch(
                listing=listing,
                score=score,
                tags=tags,
                sectors=sectors,
                region=listing.region if same_region else None,
                sdgs=sdgs,
            )
        )
    # Stable: Python's sort keeps the newest-first order among equal scores.
    matches.sort(key=lambda match: -match.score)
    return matches[:limit]


def listings_for_project(viewer, project, *, limit=5):
    """Open offers that answer the project's needs (its partners' own offers left out)."""
    from projects.models import Participation

    partner_ids = Participation.objects.filter(
        project_id=project.pk, status=Participation.Status.ACTIVE
    ).values_list("organization_id", flat=True)
    return listings_matching(
        viewer,
        tag_ids=project.need_items.values_list("tag_id", flat=True),
        sector_ids=project.sectors.values_list("pk", flat=True),
        sdg_ids=project.sdgs.values_list("pk", flat=True),
        region_id=project.region_id,
        exclude_org_ids=list(partner_ids),
        limit=limit,
    )


def listings_for_organizations(viewer, organization_ids, *, limit=5):
    """Open offers of other organizations that answer what these organizations seek (their
    seek tags together: the dashboard asks once, whatever the number of organizations)."""
    from partners.models import PartnerSeekTag

    organization_ids = list(organization_ids)
    if not organization_ids:
        return []
    return listings_matching(
        viewer,
        tag_ids=PartnerSeekTag.objects.filter(content_object_id__in=organization_ids).values_list(
            "tag_id", flat=True
        ),
        exclude_org_ids=organization_ids,
        limit=limit,
    )
