"""Real backing services for tests: present, or (under CI=true) a failure, never a skip.

CI runs the suite twice (.ci/run): once on PostgreSQL and Redis, where every service must be
there, and once on the embedded defaults with ``CLUSTER_TEST_LEG=embedded``, as a newcomer
runs ``scripts/test``: there the tests that need PostgreSQL or Redis are skipped, saying so,
and only those.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
EMBEDDED_LEG = os.environ.get("CLUSTER_TEST_LEG", "") == "embedded"


def missing(what, *, a_server=False):
    """Fail under CI, skip on a contributor's machine without the service. ``a_server``: a
    database or cache server that the embedded defaults replace, skipped on that leg too."""
    if IN_CI and not (a_server and EMBEDDED_LEG):
        pytest.fail(f"{what} is required under CI=true but is not available")
    if a_server:
        pytest.skip(f"{what} not available: the embedded defaults (SQLite, in-memory) run here")
    pytest.skip(f"{what} not available")


def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("Redis (REDIS_URL)", a_server=True)
    return url


def require_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("PostgreSQL (DATABASE_URL)", a_server=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server of a test's own on a fixed free port, so it can be stopped for real and
    come back at the same address. Needs /usr/bin/redis-server (fails under CI without it)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):

        import redis

        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.path.exists(binary):
            missing("redis-server")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
