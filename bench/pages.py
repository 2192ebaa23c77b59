"""Pages, uncached and cached (anonymous), and signed-in pages, against real daphne servers.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python -m bench.pages [--requests 300]

Needs the scale data set (``manage.py seed_scale``) in the database named by DATABASE_URL.
Starts two daphne processes in turn: one with the page cache off, one with it on (its cache
warmed by the first request), and measures the same URLs on both. Signed-in pages (search, the
dashboard, a project workspace) are never served from the page cache: they are measured on
both servers with the session cookie of a scale account that signed in over HTTP (the
coordinator of the project with the long chat, so the dashboard counts its unread messages).
"""

import argparse
import sys

from bench.common import daphne, load, load_average, login, print_table, setup_django

SEARCH = "/search/?q=education"


def urls():
    from partners.models import PartnerPage
    from projects.models import ProjectPage
    from scale.seed import BENCH_PROJECT_SLUG

    project = (
        ProjectPage.objects.live().exclude(slug=BENCH_PROJECT_SLUG).order_by("pk").first()
        or ProjectPage.objects.live().first()
    )
    partner = PartnerPage.objects.live().order_by("pk").first()
    if project is None or partner is None:
        sys.exit("No projects or partners: run `manage.py seed_scale` first.")
    return [
        ("home", "/"),
        ("projects", "/projects/"),
        ("projects filtered", "/projects/?status=active&sdg=4"),
        ("partners", "/partners/"),
        ("partners filtered", "/partners/?kind=ngo&region=garraf"),
        ("project page", project.url),
        ("partner page", partner.url),
        ("search (anonymous)", SEARCH),
    ]


def signed_in():
    """(username, [(label, path)]) for the coordinator of the long-chat project."""
    from projects.models import ProjectPage, TeamMembership
    from scale.seed import BENCH_PROJECT_SLUG

    project = ProjectPage.objects.filter(slug=BENCH_PROJECT_SLUG).first()
    row = (
        TeamMembership.objects.filter(project=project, is_coordinator=True)
        .select_related("user")
        .first()
    )
    if row is None:
        sys.exit(f"No coordinator for {BENCH_PROJECT_SLUG}: run `manage.py seed_scale` first.")
    return row.user.username, [
        ("search (signed in)", SEARCH),
        ("dashboard", "/portal/"),
        ("workspace", f"/portal/projects/{project.pk}/"),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    setup_django()
    from scale.seed import PASSWORD

    targets = urls()
    username, private = signed_in()
    print(f"start: {load_average()}", flush=True)
    results = {}
    for mode, enabled in (("uncached", 0), ("cached", 1)):
        with daphne(PAGECACHE_ENABLED=enabled) as server:
            for label, path in targets:
                results[(label, mode)] = load(
                    server,
                    path,
                    requests=args.requests,
                    concurrency=args.concurrency,
                    label=f"{label} ({mode})",
                )
            cookie = login(server, username, PASSWORD)
            for label, path in private:
                results[(label, mode)] = load(
                    server,
                    path,
                    requests=args.requests,
                    concurrency=args.concurrency,
                    headers={"Cookie": cookie},
                    label=f"{label} ({mode} server)",
                )
        print(f"after the {mode} server: {load_average()}", flush=True)
    rows = []
    for label, _ in [*targets, *private]:
        uncached, cached = results[(label, "uncached")], results[(label, "cached")]
        rows.append({**uncached.row(), "speed-up": ""})
        speedup = cached.rps / uncached.rps if uncached.rps else float("nan")
        cpu_ratio = uncached.cpu_ms / cached.cpu_ms if cached.cpu_ms else float("nan")
        rows.append({**cached.row(), "speed-up": f"{speedup:.1f}× (CPU {cpu_ratio:.1f}×)"})
    print_table(rows)
    home_p95 = results[("home", "uncached")].percentile(95)
    pages = ["projects", "projects filtered", "partners", "partners filtered"]
    pages += ["project page", "partner page"]
    worst = max((results[(label, "uncached")].percentile(95) / home_p95, label) for label in pages)
    print(f"\nworst uncached p95 of a directory or page / home: {worst[0]:.1f}× ({worst[1]})")
    print(f"signed in as {username}; end: {load_average()}")


if __name__ == "__main__":
    main()
