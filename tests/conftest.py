import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from tests import hypothesis_profiles  # noqa: F401 - the profile, before any test is made
from tests.services import free_port, missing

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def _base_content(request):
    """Give every database test the site tree, SDGs and review workflow the migrations make.

    Transactional tests flush every table afterwards, data migrations included, so the next
    test would otherwise find no home page.
    """
    if not ({"db", "transactional_db"} & set(request.fixturenames)) and not (
        request.node.get_closest_marker("django_db")
    ):
        yield
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
    request.getfixturevalue("_no_stray_connections_at_the_end")
    from tests.base_content import ensure_base_content

    ensure_base_content()
    yield


@pytest.fixture(scope="session")
def _no_stray_connections_at_the_end(django_db_setup, django_db_blocker):
    """Close the connections other threads still hold (the chat's database threads take them
    from the pool and keep them) before the test database is dropped: PostgreSQL would wait
    five seconds for them and then refuse to drop it."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@contextmanager
def sqlite_transactions_deferred():
    """Open this process's SQLite transactions DEFERRED while a daphne process shares the file.

    The embedded settings open every SQLite transaction IMMEDIATE (the chat's concurrent writers
    then queue on the busy timeout instead of failing to upgrade a read lock). A test that is
    not transactional runs inside one transaction from start to end: IMMEDIATE, that is the
    file's write lock held for the whole test, and every write of the server the test drives
    (a session, a search hit, a chat message, an editing session) waits for it until the page
    times out. DEFERRED takes no lock until the transaction writes, and in WAL mode reading
    never blocks the server; such tests read only what their fixtures committed beforehand.
    """
    if connection.vendor != "sqlite":
        yield
        return
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("transaction_mode")
    options["transaction_mode"] = "DEFERRED"
    connection.transaction_mode = "DEFERRED"
    try:
        yield
    finally:
        options["transaction_mode"] = before
        connection.transaction_mode = before.upper() if before else None


def write_lock_against_a_server():
    """Why the current test would block a running daphne process, or None when it would not."""
    if not DaphneServer.running or connection.vendor != "sqlite":
        return None
    if connection.in_atomic_block and getattr(connection, "transaction_mode", None) != "DEFERRED":
        return (
            "this test runs inside a SQLite transaction opened "
            f"{getattr(connection, 'transaction_mode', None) or 'in the default mode'} while a "
            "daphne process serves the same file: it holds the write lock and the server's "
            "writes wait until the browser times out. Start the server inside "
            "tests.conftest.sqlite_transactions_deferred(), or use transactional_db."
        )
    return None


@pytest.fixture(autouse=True)
def _no_write_lock_against_a_live_server(_base_content):
    """Fail at once, saying why, instead of letting the browser wait for a locked database."""
    if reason := write_lock_against_a_server():
        pytest.fail(reason)
    yield


def _is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request answered in Catalan leaves Catalan
    active in its thread, and a later test's gettext would otherwise speak it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # noqa: BLE001 - a dead Redis is what some tests are about
        pass
    yield


def _db_env():
    """The environment a server process needs to use this test run's database."""
    settings_dict = connection.settings_dict
    env = {}
    if connection.vendor == "sqlite":
        env["CLUSTER_TEST_DB_NAME"] = str(settings_dict["NAME"])
    else:
        env["CLUSTER_TEST_DB_NAME"] = settings_dict["NAME"]
    return env


class DaphneServer:
    """A real daphne process on a free port, sharing the test database."""

    running = set()  # the servers started and not yet stopped, for the SQLite lock guard

    def __init__(self, extra_env=None, port=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.extra_env = extra_env or {}
        self.process = None
        self.log = None
        # Outside the project: other tests copy or scan the project's tree while this runs.
        self.log_path = Path(tempfile.gettempdir()) / f"cluster-daphne-{self.port}.log"

    def start(self, timeout=30):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cluster.settings.test",
            "PYTHONUNBUFFERED": "1",
            **_db_env(),
            **self.extra_env,
        }
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "cluster.asgi:application",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited early: {self.read_log()}")
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
            except urllib.error.HTTPError:
                pass  # it answers; health is for the test to judge
            except OSError:
                time.sleep(0.1)
                continue
            DaphneServer.running.add(self)
            return self
        self.stop()
        raise RuntimeError(f"daphne did not start: {self.read_log()}")

    def read_log(self):
        path = self.log_path
        return path.read_text()[-4000:] if path.exists() else ""

    def stop(self, sig=None):
        DaphneServer.running.discard(self)
        if self.process and self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.log:
            self.log.close()
            self.log_path.unlink(missing_ok=True)
            self.log = None


@pytest.fixture
def daphne_factory(transactional_db, tmp_path):
    """Start daphne processes for one test; every one is stopped afterwards."""
    servers = []

    def start(**extra_env):
        env = {
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            **{k: str(v) for k, v in extra_env.items()},
        }
        server = DaphneServer(extra_env=env).start()
        server.mail_dir = tmp_path / "mail"
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server_url(daphne_factory):
    return daphne_factory().url


# Module scope: while Playwright runs, its event loop is the running loop of this thread, and
# async tests scheduled after a browser module on the same worker could not start their own.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        missing("Chromium (/usr/bin/chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def browser_context(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()
