"""Real backing services for tests: present, or (under CI=true) a failure, never a skip."""

import os
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(what):
    """Fail under CI, skip on a contributor's machine without the service."""
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} not available")


def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("Redis (REDIS_URL)")
    return url


def require_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("PostgreSQL (DATABASE_URL)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
