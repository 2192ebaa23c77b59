"""psycopg's connection pool under daphne: connections are reused and bounded, not per request."""

import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.services import require_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _pool_connections(application_name):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


def test_daphne_reuses_a_bounded_pool_of_connections(daphne_factory):
    require_postgres()
    import os

    name = "cluster-pool-test"
    url = os.environ["DATABASE_URL"]
    url += ("&" if "?" in url else "?") + f"application_name={name}"
    server = daphne_factory(DATABASE_URL=url, DATABASE_POOL_MIN=2, DATABASE_POOL_MAX=3)

    def fetch(_):
        # A session cookie keeps the page cache out of the way: every request reaches the ORM.
        request = urllib.request.Request(f"{server.url}/", headers={"Cookie": "sessionid=x"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(fetch, range(30)))
    assert statuses == [200] * 30
    # Without a pool (CONN_MAX_AGE=0) every connection is closed at the end of its request;
    # with it, the pool keeps between min_size and max_size connections open.
    assert 2 <= _pool_connections(name) <= 3
