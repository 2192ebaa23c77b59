"""A 50,000-row CSV import into one organization's contacts: the dry run and the import, their
time and the peak memory of the process (Python's allocations, ``tracemalloc``; and the
process's maximum resident set size).

    DATABASE_URL=postgres://…/cluster_x .venv/bin/python bench/crm_import.py [--rows 50000]

Needs a migrated database with the base content (``manage.py migrate``). Everything it writes is
rolled back at the end.
"""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def make_csv(rows):
    out = io.StringIO()
    out.write("First Name,Last Name,Email Address,Phone_Mobile,Tags,Preferred Language,City\n")
    for n in range(rows):
        out.write(
            f"Name{n},Surname{n % 997},person{n}@example.org,600{n:06d},"
            f'"tag{n % 20}, campaign",{("ca", "es", "en")[n % 3]},Barcelona\n'
        )
    return out.getvalue().encode()


class Upload(io.BytesIO):
    pass


def main():
    import django

    django.setup()
    from django.db import transaction

    from crm import imports, services
    from crm.models import Contact
    from tests.base_content import ensure_base_content
    from tests.factories import UserFactory
    from tests.utils import approved_organization

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    data = make_csv(args.rows)
    print(f"CSV: {args.rows} rows, {len(data) / 1e6:.1f} MB; load average {os.getloadavg()}")
    with transaction.atomic():
        ensure_base_content()
        admin = UserFactory(username="bench_crm_admin")
        organization = approved_organization(admin=admin, title="Bench CRM organization")
        book = services.book_get_or_create(organization)
        tracemalloc.start()
        start = time.perf_counter()
        plan = imports.plan(book, Upload(data))
        dry = time.perf_counter() - start
        _current, dry_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        start = time.perf_counter()
        created, updated = imports.run(book, plan, by=admin)
        took = time.perf_counter() - start
        _current, run_peak = tracemalloc.get_traced_memory()
        assert Contact.objects.filter(book=book).count() == args.rows == created
        transaction.set_rollback(True)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"dry run: {dry:.1f} s, peak Python memory {dry_peak / 1e6:.0f} MB")
    print(f"import:  {took:.1f} s, peak Python memory {run_peak / 1e6:.0f} MB ({created} created)")
    print(f"process max RSS: {maxrss:.0f} MB; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
