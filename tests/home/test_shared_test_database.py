"""A test that runs in a transaction while a daphne process shares its database (the
accessibility checks) must leave the database writable for the server: on SQLite its
transaction is opened DEFERRED, and the guard in tests/conftest.py says so when it is not."""

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from tests.conftest import DaphneServer, sqlite_transactions_deferred, write_lock_against_a_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_with_a_server(django_db_setup, django_db_blocker):
    """As the accessibility checks do: the base content committed before the test's
    transaction opens (a transactional test before this one on the same worker flushed it, and
    rebuilding it inside the transaction would be a write that holds the lock)."""
    from tests.base_content import ensure_base_content

    with django_db_blocker.unblock(), sqlite_transactions_deferred():
        ensure_base_content()
        yield


def _server_connection():
    """A second connection to the test database, as the server process holds, that waits at
    most a second for a lock."""
    settings_dict = {**connection.settings_dict}
    options = {**settings_dict.get("OPTIONS", {})}
    options.pop("pool", None)
    if connection.vendor == "sqlite":
        options["timeout"] = 1
    settings_dict["OPTIONS"] = options
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "server")


def test_the_server_can_write_while_a_test_transaction_is_open(shared_with_a_server):
    from django.contrib.sessions.models import Session

    assert connection.in_atomic_block
    Session.objects.count()  # the test reads, as the checks' assertions do
    server = _server_connection()
    try:
        with server.cursor() as cursor:  # IMMEDIATE, this waits a second and fails: locked
            cursor.execute(
                "UPDATE django_session SET expire_date = expire_date WHERE session_key = %s",
                ["none"],
            )
    finally:
        server.close()


def test_the_guard_names_a_write_lock_held_against_a_running_server(monkeypatch):
    default = connections["default"]
    monkeypatch.setattr(DaphneServer, "running", {object()})
    assert connection.in_atomic_block
    monkeypatch.setattr(default, "transaction_mode", "DEFERRED", raising=False)
    assert write_lock_against_a_server() is None
    monkeypatch.setattr(default, "transaction_mode", "IMMEDIATE", raising=False)
    reason = write_lock_against_a_server()
    if connection.vendor == "sqlite":
        assert "holds the write lock" in reason
    else:  # PostgreSQL's transactions lock rows, not the database
        assert reason is None
    monkeypatch.setattr(DaphneServer, "running", set())
    assert write_lock_against_a_server() is None
