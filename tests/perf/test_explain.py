"""EXPLAIN at scale: directory filters and chat reads find their rows through indexes.

PostgreSQL only. One data set for the module, built with the scale seeder at the page counts of
a real cluster network (2,000 organizations, 5,000 projects) but few people and messages, no
guardian grants and no search index, so it takes seconds; then ANALYZE. Every SELECT that a
filtered directory page or a chat read runs is EXPLAINed with the portal's own connection
settings (``enable_seqscan`` untouched) and must not read a big table sequentially.

The filters use values that narrow the list the way a visitor's filter does (a region, a
sector, a rare status…): a value shared by half the projects is best read sequentially, and
PostgreSQL rightly does so. The directory facets are computed once per publish for every
filter (``pagecache.memo``), so the unfiltered directory is requested first and the filtered
page's first request is checked: its listing, its count and its prefetches.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.services import require_postgres
from tests.utils import rolled_back

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BIG_TABLES = {"wagtailcore_page", "projects_projectpage", "partners_partnerpage", "chat_message"}
SIZE = {
    "organizations": 2000,
    "projects": 5000,
    "users": 2000,
    "messages": 20_000,
    "big_room": 15_000,
}
ANALYZED = (
    "wagtailcore_page",
    "projects_projectpage",
    "projects_projectpage_sdgs",
    "projects_projectpage_sectors",
    "projects_projectneedtag",
    "partners_partnerpage",
    "partners_partnerpage_sdgs",
    "partners_partnerpage_sectors",
    "partners_partneroffertag",
    "partners_partnerseektag",
    "projects_participation",
    "taggit_tag",
    "chat_message",
    "chat_chatroom",
    "auth_user",
)


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    require_postgres()
    from projects.models import ProjectPage
    from scale.seed import BENCH_PROJECT_SLUG, ScaleSeeder

    with rolled_back(django_db_blocker):
        seeder = ScaleSeeder(**SIZE, search_index=False, skip=frozenset({"permissions"}))
        seeder.run()
        with connection.cursor() as cursor:
            # Run the deferred foreign-key checks of the bulk inserts once, here: otherwise each
            # test's savepoint rollback puts them back and every teardown checks them again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"ANALYZE {', '.join(ANALYZED)}")
        print("seeded:", {k: round(v, 1) for k, v in seeder.timings.items()})
        bench = ProjectPage.objects.get(slug=BENCH_PROJECT_SLUG)
        yield {"bench": bench.pk, "values": _filter_values()}


def _filter_values():
    """A typical value of each facet, read from the data (the seeder's vocabularies)."""
    from partners.models import PartnerOfferTag, PartnerPage, PartnerSeekTag
    from projects.models import ProjectNeedTag, ProjectPage

    project = ProjectPage.objects.live().filter(region__isnull=False).order_by("pk").first()
    partner = PartnerPage.objects.live().filter(region__isnull=False).order_by("pk").first()
    return {
        "project_region": project.region.slug,
        "project_sector": project.sectors.values_list("slug", flat=True).first(),
        "project_sdg": project.sdgs.values_list("number", flat=True).first(),
        "project_need": ProjectNeedTag.objects.filter(content_object=project)
        .values_list("tag__slug", flat=True)
        .first(),
        "lead": project.lead_organization_id,
        "partner_region": partner.region.slug,
        "partner_sector": partner.sectors.values_list("slug", flat=True).first(),
        "partner_sdg": partner.sdgs.values_list("number", flat=True).first(),
        "offers": PartnerOfferTag.objects.values_list("tag__slug", flat=True).first(),
        "seeks": PartnerSeekTag.objects.values_list("tag__slug", flat=True).first(),
    }


def _seq_scans(plan):
    """Big tables a JSON plan reads with a Seq Scan."""
    found = set()
    stack = [plan]
    while stack:
        node = stack.pop()
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
            found.add(node["Relation Name"])
        stack.extend(node.get("Plans", []))
    return found


def _explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        raw = cursor.fetchone()[0]
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]


def assert_no_seq_scan(queries):
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert selects, "nothing was queried"
    for sql in selects:
        plan = _explain(sql)
        scanned = _seq_scans(plan)
        assert not scanned, f"Seq Scan on {sorted(scanned)}:\n{sql}\n{json.dumps(plan, indent=1)}"


PROJECT_FILTERS = {
    "status": "status=cancelled",
    "region": "region={project_region}",
    "sector": "sector={project_sector}",
    "sdg": "sdg={project_sdg}",
    "lead": "lead={lead}",
    "need": "need={project_need}",
    "region+status": "region={project_region}&status=active",
}
PARTNER_FILTERS = {
    "kind": "kind=university",
    "region": "region={partner_region}",
    "sector": "sector={partner_sector}",
    "sdg": "sdg={partner_sdg}",
    "offers": "offers={offers}",
    "seeks": "seeks={seeks}",
    "kind+region": "kind=ngo&region={partner_region}",
}


def _directory_queries(client, url):
    # The unfiltered directory first: its facets and the site root paths are computed once and
    # kept; the filtered page's own queries (its count included) are what is checked.
    client.get(url.split("?")[0])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured.captured_queries


@pytest.mark.parametrize("name", PROJECT_FILTERS)
def test_project_directory_filters_use_indexes(client, scale, settings, name):
    settings.PAGECACHE_ENABLED = False
    url = "/projects/?" + PROJECT_FILTERS[name].format(**scale["values"])
    assert_no_seq_scan(_directory_queries(client, url))


@pytest.mark.parametrize("name", PARTNER_FILTERS)
def test_partner_directory_filters_use_indexes(client, scale, settings, name):
    settings.PAGECACHE_ENABLED = False
    url = "/partners/?" + PARTNER_FILTERS[name].format(**scale["values"])
    assert_no_seq_scan(_directory_queries(client, url))


def test_chat_history_and_sync_use_the_project_seq_index(scale):
    from chat.selectors import message_history, message_latest, message_sync

    project_id = scale["bench"]
    middle = SIZE["big_room"] // 2
    with CaptureQueriesContext(connection) as captured:
        assert len(message_latest(project_id=project_id)) == 50
        items, has_more = message_history(project_id=project_id, before=middle, limit=100)
        assert len(items) == 100 and has_more
        items, has_more = message_sync(project_id=project_id, after=middle)
        assert items[0]["seq"] == middle + 1 and has_more
    assert_no_seq_scan(captured.captured_queries)


def test_organization_activity_uses_indexes(scale):
    """Its own page's entries and the entries whose data name it, among 20,000 log entries."""
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import PageLogEntry

    from partners.models import PartnerPage
    from partners.selectors import ACTIVITY_PAGE_SIZE, organization_activity

    organizations = list(PartnerPage.objects.order_by("pk").values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(PartnerPage)
    pick = random.Random(8).choice
    now = timezone.now()
    PageLogEntry.objects.bulk_create(
        PageLogEntry(
            content_type=content_type,
            page_id=pick(organizations),
            label="entry",
            action="wagtail.edit",
            data={"organization": pick(organizations)},
            timestamp=now,
        )
        for _ in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE wagtailcore_pagelogentry")
    organization = PartnerPage.objects.get(pk=organizations[0])
    with CaptureQueriesContext(connection) as captured:
        entries = list(organization_activity(organization)[:ACTIVITY_PAGE_SIZE])
        assert organization_activity(organization).count() >= len(entries)
    assert entries
    BIG_TABLES.add("wagtailcore_pagelogentry")
    try:
        assert_no_seq_scan(captured.captured_queries)
    finally:
        BIG_TABLES.discard("wagtailcore_pagelogentry")
