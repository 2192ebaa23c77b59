"""Directory filters and search: their SQL time at 500 and at 5,000 projects.

    REDIS_URL=... .venv/bin/python -m bench.scaling \\
        postgres://…/cluster_bench_500 postgres://…/cluster_bench [--repeat 30]

Each URL names a database holding a scale data set of a different size (``manage.py
seed_scale --projects 500 --organizations 200 --users 2000 …`` and the default sizes). For each
database a child process (settings ``bench.settings``, page cache off) requests every case with
Django's test client ``--repeat`` times after one warm-up request, and records the time of every
SQL statement the request ran (Django's debug cursor wrapper: statement sent → rows fetched) and
the whole request's time. Figures are medians. The directory facets are computed once per
publish (``pagecache.memo``), so the steady state counts without them; their computation is
shown as its own case (``facets``), timed after clearing the cache each time.

The cache named by REDIS_URL is cleared before each database's run (both sizes share it).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from bench.common import BASE_DIR, load_average, print_table

CASES = [
    ("projects, no filter", "/projects/"),
    ("projects status=active&sdg=4", "/projects/?status=active&sdg=4"),
    ("projects status=cancelled", "/projects/?status=cancelled"),
    ("projects region", "/projects/?region=barcelones"),
    ("projects sector", "/projects/?sector=education"),
    ("projects need", "/projects/?need=project-management"),
    ("projects page 3", "/projects/?status=active&page=3"),
    ("partners, no filter", "/partners/"),
    ("partners kind=ngo&region", "/partners/?kind=ngo&region=garraf"),
    ("partners kind=university", "/partners/?kind=university"),
    ("partners offers", "/partners/?offers=fundraising"),
    ("search one word", "/search/?q=education"),
    ("search two words", "/search/?q=social+inclusion"),
    ("search projects only", "/search/?q=youth&type=projects"),
]


def worker(repeat):
    """Runs inside the child process: time every case against this process's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["PAGECACHE_ENABLED"] = "0"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from projects.models import ProjectPage
    from projects.selectors import _facets, _published

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    out = {"projects": ProjectPage.objects.live().count()}
    for label, url in CASES:
        client.get(url)
        sql, wall, counts = [], [], set()
        for _ in range(repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            wall.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            sql.append(sum(float(q["time"]) for q in captured.captured_queries))
            counts.add(len(captured.captured_queries))
        out[label] = {
            "sql_ms": statistics.median(sql) * 1000,
            "request_ms": statistics.median(wall) * 1000,
            "queries": "/".join(str(n) for n in sorted(counts)),
        }
    facets = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            _facets(_published())
        facets.append(sum(float(q["time"]) for q in captured.captured_queries))
    out["facets (once per publish)"] = {
        "sql_ms": statistics.median(facets) * 1000,
        "request_ms": float("nan"),
        "queries": str(len(captured.captured_queries)),
    }
    print(json.dumps(out))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", help="DATABASE_URLs, smaller data set first")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.repeat)
    if len(args.urls) != 2:
        parser.error("give two DATABASE_URLs: the smaller data set, then the larger one")
    print(f"start: {load_average()}", flush=True)
    runs = []
    for url in args.urls:
        child = subprocess.run(
            [sys.executable, "-m", "bench.scaling", "--worker", "--repeat", str(args.repeat)],
            cwd=BASE_DIR,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            raise SystemExit(child.stderr[-3000:])
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"measured {runs[-1]['projects']:,} live projects: {load_average()}", flush=True)
    small, large = runs
    rows = []
    for label in [label for label, _ in CASES] + ["facets (once per publish)"]:
        a, b = small[label], large[label]
        rows.append(
            {
                "case": label,
                f"SQL ms @{small['projects']:,}": f"{a['sql_ms']:.2f}",
                f"SQL ms @{large['projects']:,}": f"{b['sql_ms']:.2f}",
                "SQL growth": f"{b['sql_ms'] / a['sql_ms']:.2f}×",
                f"request ms @{small['projects']:,}": f"{a['request_ms']:.1f}",
                f"request ms @{large['projects']:,}": f"{b['request_ms']:.1f}",
                "queries": f"{a['queries']} / {b['queries']}",
            }
        )
    print_table(rows)
    print(f"end: {load_average()}")


if __name__ == "__main__":
    main()
