"""Matchmaking at cluster size: 1,000 organizations × 1,000 projects (by default).

Builds a throwaway database (SQLite by default, PostgreSQL when DATABASE_URL points at one),
fills it with bulk inserts (pages are written straight into the tree, no revisions or search
index, which matchmaking does not read), then times both directions of matchmaking on a
sample of sources and prints the median, p95 and max, with the number of SQL queries each
call ran. The database is dropped at the end.

    .venv/bin/python bench/matchmaking.py
    DATABASE_URL=postgres://root@127.0.0.1:5432/cluster .venv/bin/python bench/matchmaking.py
    .venv/bin/python bench/matchmaking.py --organizations 5000 --projects 5000 --samples 200
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster.settings.test")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    scratch = None
    if connection.vendor == "sqlite":
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
        connection.settings_dict["TEST"]["NAME"] = scratch.name
    else:
        connection.settings_dict["TEST"]["NAME"] = f"bench_matchmaking_{os.getpid()}"
    print(f"database: {connection.vendor}; creating and migrating a scratch database…")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        orgs, projects = build(args.organizations, args.projects, random.Random(args.seed))
        print(
            f"built {len(orgs)} organizations and {len(projects)} projects "
            f"in {time.perf_counter() - started:.1f}s"
        )
        measure(orgs, projects, args.samples, random.Random(args.seed + 1))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if scratch:
            Path(scratch.name).unlink(missing_ok=True)


VOCABULARY = [
    "volunteers",
    "mentoring",
    "laptops",
    "meeting rooms",
    "funding",
    "legal advice",
    "web development",
    "data analysis",
    "training",
    "translation",
    "catering",
    "transport",
    "design",
    "communication",
    "psychologists",
    "social workers",
    "teachers",
    "nurses",
    "coding",
    "accounting",
    "fundraising",
    "evaluation",
    "research",
    "storage",
    "vans",
    "kitchens",
    "gardens",
    "workshops",
    "printing",
    "photography",
    "video",
    "marketing",
    "mediation",
    "youth work",
    "elderly care",
    "childcare",
    "housing",
    "job placement",
    "languages",
    "sports",
    "music",
    "theatre",
    "first aid",
    "cleaning",
    "repairs",
    "carpentry",
    "electricians",
    "plumbing",
    "gardening",
    "cooking",
    "sewing",
    "recycling",
    "energy audits",
    "solar panels",
    "bikes",
    "wheelchairs",
    "hearing aids",
    "glasses",
    "computers",
    "phones",
    "internet access",
    "software licences",
    "cloud hosting",
    "cybersecurity",
    "maps",
    "surveys",
    "statistics",
    "lawyers",
    "notaries",
    "architects",
    "engineers",
    "doctors",
    "dentists",
    "pharmacists",
    "veterinarians",
    "librarians",
    "archivists",
    "curators",
    "editors",
    "journalists",
]


def build(n_orgs, n_projects, rng):
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from taggit.models import Tag
    from wagtail.models import Locale, Page

    from partners.models import PartnerIndexPage, PartnerOfferTag, PartnerPage, PartnerSeekTag
    from projects.models import Participation, ProjectIndexPage, ProjectNeedTag, ProjectPage
    from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

    with transaction.atomic():
        tags = Tag.objects.bulk_create(
            [Tag(name=name, slug=name.replace(" ", "-")) for name in VOCABULARY]
        )
        sectors = Sector.objects.bulk_create(
            [Sector(name=f"Sector {n}", slug=f"sector-{n}") for n in range(12)]
        )
        regions = Region.objects.bulk_create(
            [Region(name=f"Region {n}", slug=f"region-{n}") for n in range(42)]
        )
        sdgs = list(SustainableDevelopmentGoal.objects.all())
        locale = Locale.get_default()

        def pages(model, parent, count, prefix):
            """Write ``count`` live child pages of ``parent`` straight into the tree."""
            parent = Page.objects.get(pk=parent.pk)
            content_type = ContentType.objects.get_for_model(model)
            base = parent.numchild
            rows = [
                Page(
                    title=f"{prefix} {n}",
                    slug=f"{prefix.lower()}-{n}",
                    content_type=content_type,
                    path=parent.path + Page._int2str(base + n + 1).rjust(Page.steplen, "0"),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{prefix.lower()}-{n}/",
                    live=True,
                    locale=locale,
                )
                for n in range(count)
            ]
            Page.objects.bulk_create(rows, batch_size=500)
            Page.objects.filter(pk=parent.pk).update(numchild=base + count)
            return list(
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .filter(slug__startswith=f"{prefix.lower()}-")
                .values_list("pk", flat=True)
            )

        org_ids = pages(PartnerPage, PartnerIndexPage.objects.get(), n_orgs, "Org")
        for pk in org_ids:
            PartnerPage(page_ptr_id=pk, kind="ngo", region_id=rng.choice(regions).pk).save_base(
                raw=True
            )
        project_ids = pages(ProjectPage, ProjectIndexPage.objects.get(), n_projects, "Project")
        statuses = ["idea", "forming", "active", "active", "completed"]
        for pk in project_ids:
            ProjectPage(
                page_ptr_id=pk,
                status=rng.choice(statuses),
                lead_organization_id=rng.choice(org_ids),
                region_id=rng.choice(regions).pk,
            ).save_base(raw=True)

        def tagged(model, ids, low, high):
            model.objects.bulk_create(
                [
                    model(content_object_id=pk, tag_id=tag.pk)
                    for pk in ids
                    for tag in rng.sample(tags, rng.randint(low, high))
                ],
                batch_size=2000,
            )

        def m2m(through, column, target_column, ids, choices, low, high):
            through.objects.bulk_create(
                [
                    through(**{column: pk, target_column: choice.pk})
                    for pk in ids
                    for choice in rng.sample(choices, rng.randint(low, high))
                ],
                batch_size=2000,
            )

        tagged(PartnerOfferTag, org_ids, 3, 8)
        tagged(PartnerSeekTag, org_ids, 1, 4)
        tagged(ProjectNeedTag, project_ids, 2, 6)
        for model, column, ids in (
            (PartnerPage, "partnerpage_id", org_ids),
            (ProjectPage, "projectpage_id", project_ids),
        ):
            m2m(model.sectors.through, column, "sector_id", ids, sectors, 1, 3)
            m2m(model.sdgs.through, column, "sustainabledevelopmentgoal_id", ids, sdgs, 1, 4)
        lead_of = dict(
            ProjectPage.objects.filter(pk__in=project_ids).values_list(
                "pk", "lead_organization_id"
            )
        )
        rows = []
        for pk in project_ids:
            rows.append(
                Participation(
                    project_id=pk, organization_id=lead_of[pk], role="lead", status="active"
                )
            )
            for org in rng.sample(org_ids, 3):
                if org != lead_of[pk]:
                    rows.append(
                        Participation(
                            project_id=pk,
                            organization_id=org,
                            status=rng.choice(["active", "invited", "requested", "declined"]),
                        )
                    )
        Participation.objects.bulk_create(rows, batch_size=2000)
    return org_ids, project_ids


def measure(org_ids, project_ids, samples, rng):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from partners.models import PartnerPage
    from projects.matchmaking import organizations_for_project, projects_for_organization
    from projects.models import ProjectPage

    def run(label, sources, fn):
        timings, queries, found = [], [], []
        fn(sources[0], limit=10)  # warm the connection and caches
        for source in sources:
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                results = fn(source, limit=10)
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
            found.append(len(results))
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{label:<34} n={len(sources):<4} median {statistics.median(timings):6.1f} ms"
            f"  p95 {p95:6.1f} ms  max {timings[-1]:6.1f} ms"
            f"  queries {min(queries)}–{max(queries)}"
            f"  results/call {statistics.mean(found):.1f}"
        )

    projects = list(
        ProjectPage.objects.filter(pk__in=rng.sample(project_ids, min(samples, len(project_ids))))
    )
    organizations = list(
        PartnerPage.objects.filter(pk__in=rng.sample(org_ids, min(samples, len(org_ids))))
    )
    run("organizations_for_project (top 10)", projects, organizations_for_project)
    run("projects_for_organization (top 10)", organizations, projects_for_organization)


if __name__ == "__main__":
    main()
