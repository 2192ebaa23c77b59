"""Directory filters and search: their SQL time at 500 and at 5,000 projects.

    REDIS_URL=... .venv/bin/python -m bench.scaling \\
        postgres://…/cluster_bench_500 postgres://…/cluster_bench [--repeat 30]

Each URL names a database holding a scale data set of a different size (``manage.py
seed_scale --projects 500 --organizations 200 --users 2000 …`` and the default sizes). For each
database a child process (settings ``bench.settings``, page cache off; ANALYZE first) requests
every case with Django's test client (one warm-up, then ``--repeat`` timed requests: the median
is the "request ms" column), then runs each SELECT of the last request ``--repeat`` times under
``EXPLAIN (ANALYZE, BUFFERS)``: "SQL ms" is the sum over the statements of PostgreSQL's median
executor time (no client, no network), "buffers" the 8 kB pages they touched, a count that other
load on a shared machine cannot change. The directory facets are computed once per publish
(``pagecache.memo``), so the steady state runs without them; their queries are shown as their
own case (``facets``). Each case's ordered matches are kept until the next publish too
(``core.results.KeptResults``): the "first after publish" column is the SQL time of the case's
first request after a publish (the generation bumped, the facets already computed), which reads
every match once.

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
    ("partners kind=ngo&region", "/partners/?kind=ngo&region=baix-llobregat"),
    ("partners kind=university", "/partners/?kind=university"),
    ("partners offers", "/partners/?offers=fundraising"),
    ("search one word", "/search/?q=education"),
    ("search two words", "/search/?q=social+inclusion"),
    ("search projects only", "/search/?q=youth&type=projects"),
]


def _explained(connection, statements, repeat):
    """(median executor ms summed over the statements, shared buffers touched) by PostgreSQL's
    own EXPLAIN (ANALYZE, BUFFERS): the server's time without the client or the network, and
    a count of 8 kB pages read that no other load on the machine changes."""
    total_ms, buffers = 0.0, 0
    for sql in statements:
        times = []
        for _ in range(repeat):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                raw = cursor.fetchone()[0]
            result = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            times.append(result["Execution Time"])
        plan = result["Plan"]
        total_ms += statistics.median(times)
        buffers += plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    return total_ms, buffers


def _selects(captured):
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]


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

    from core import pagecache
    from projects.models import ProjectPage
    from projects.selectors import _facets, _published

    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="127.0.0.1")
    out = {"projects": ProjectPage.objects.live().count()}

    def publish():
        # What a publish does to kept values, then the facets every directory request shares.
        pagecache.cache_invalidate()
        pagecache.memo("projects.directory.facets", lambda: _facets(_published()))

    for label, url in CASES:
        publish()
        with CaptureQueriesContext(connection) as cold:
            client.get(url)  # the first request of this filter set after a publish
        cold_ms, cold_buffers = _explained(connection, _selects(cold), repeat)
        wall = []
        for _ in range(repeat):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            wall.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        executor_ms, buffers = _explained(connection, _selects(captured), repeat)
        out[label] = {
            "sql_ms": executor_ms,
            "buffers": buffers,
            "request_ms": statistics.median(wall) * 1000,
            "queries": len(captured.captured_queries),
            "cold_sql_ms": cold_ms,
            "cold_buffers": cold_buffers,
        }
    with CaptureQueriesContext(connection) as captured:
        _facets(_published())
    executor_ms, buffers = _explained(connection, _selects(captured), repeat)
    out["facets (once per publish)"] = {
        "sql_ms": executor_ms,
        "buffers": buffers,
        "request_ms": float("nan"),
        "queries": len(captured.captured_queries),
        "cold_sql_ms": executor_ms,
        "cold_buffers": buffers,
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
                "buffers": f"{a['buffers']:,} → {b['buffers']:,}",
                "buffers growth": f"{b['buffers'] / max(a['buffers'], 1):.2f}×",
                f"request ms @{small['projects']:,}": f"{a['request_ms']:.1f}",
                f"request ms @{large['projects']:,}": f"{b['request_ms']:.1f}",
                "queries": f"{a['queries']} / {b['queries']}",
                "first after publish: SQL ms": f"{a['cold_sql_ms']:.2f} → {b['cold_sql_ms']:.2f}",
                "growth": f"{b['cold_sql_ms'] / a['cold_sql_ms']:.2f}×",
            }
        )
    print_table(rows)
    print(f"end: {load_average()}")


if __name__ == "__main__":
    main()
