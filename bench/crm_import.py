"""CSV imports into one organization's contacts at two sizes (5,000 and 50,000 rows by
default): the dry run and the import of each, their time and the peak memory of Python's
allocations while they run (``tracemalloc``), to show the memory does not grow with the rows.

    DATABASE_URL=postgres://…/cluster_x .venv/bin/python bench/crm_import.py [--rows 5000 50000]

The file is written to a temporary file first and read from there, as an upload larger than
``FILE_UPLOAD_MAX_MEMORY_SIZE`` is. Needs a migrated database with the base content
(``manage.py migrate``). Everything it writes is rolled back at the end.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def write_csv(out, rows):
    out.write(b"First Name,Last Name,Email Address,Phone_Mobile,Tags,Preferred Language,City\n")
    for n in range(rows):
        out.write(
            f"Name{n},Surname{n % 997},person{n}@example.org,600{n:06d},"
            f'"tag{n % 20}, campaign",{("ca", "es", "en")[n % 3]},Barcelona\n'.encode()
        )
    out.flush()


def measure(rows, number):
    from django.db import transaction

    from crm import imports, services
    from crm.models import Contact
    from tests.factories import UserFactory
    from tests.utils import approved_organization

    with tempfile.NamedTemporaryFile(suffix=".csv") as upload:
        write_csv(upload, rows)
        size = upload.tell()
        with transaction.atomic():
            admin = UserFactory(username=f"bench_crm_admin_{number}")
            organization = approved_organization(admin=admin, title=f"Bench CRM {number}")
            book = services.book_get_or_create(organization)
            header, _count = imports.scan(upload)
            mapping = imports.guess_mapping(header)
            figures = []
            for dry_run in (True, False):
                tracemalloc.start()
                start = time.perf_counter()
                result = imports.process(book, upload, mapping, by=admin, dry_run=dry_run)
                took = time.perf_counter() - start
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                figures.append((took, peak, result))
            assert Contact.objects.filter(book=book).count() == rows == figures[1][2].created
            transaction.set_rollback(True)
    print(f"{rows} rows ({size / 1e6:.1f} MB):")
    for label, (took, peak, result) in zip(("dry run", "import"), figures, strict=True):
        print(
            f"  {label:8} {took:7.1f} s  peak Python memory {peak / 1e6:5.1f} MB"
            f"  ({result.counts})"
        )


def main():
    import django

    django.setup()
    from django.db import transaction

    from tests.base_content import ensure_base_content

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="do not refresh the planner's statistics during the import (to compare)",
    )
    args = parser.parse_args()
    if args.no_analyze:
        from crm import imports

        imports.ANALYZE_EVERY = 0
    print(f"load average at the start {os.getloadavg()}")
    with transaction.atomic():
        ensure_base_content()
        for number, rows in enumerate(args.rows):
            measure(rows, number)
        transaction.set_rollback(True)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {maxrss:.0f} MB; load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
