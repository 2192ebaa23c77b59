"""Tests: fast password hashing, mail kept in memory, no e-mail verification round trips."""

import os

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env.str(
    "TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
STORAGES = {
    **STORAGES,  # noqa: F405 - media as the environment says (filesystem unless MEDIA_STORAGE)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Background work runs at once in tests; the queue's own tests switch to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="")

# Browser tests run a real daphne process that must see the test database: on SQLite that
# means a file, whose name the server process is given through CLUSTER_TEST_DB_NAME.
_default_db = DATABASES["default"]  # noqa: F405
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    _default_db["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
if _test_db_name := env.str("CLUSTER_TEST_DB_NAME", default=""):
    _default_db["NAME"] = _test_db_name
    _default_db["TEST"] = {"NAME": _test_db_name}

# Parallel test workers (pytest-xdist) each get their own Redis database, so one worker's
# cache.clear() or channel traffic never touches another's. The environment is updated too,
# because daphne processes started by the tests read REDIS_URL from it.
_worker = env.str("PYTEST_XDIST_WORKER", default="")
if REDIS_URL and _worker.startswith("gw") and "CLUSTER_REDIS_WORKER_URL" not in os.environ:
    import re

    _base = re.match(r"^(.*?)(?:/(\d+))?$", REDIS_URL)
    _db = (int(_base.group(2) or 0) + 1 + int(_worker[2:])) % 16
    REDIS_URL = f"{_base.group(1)}/{_db}"
    os.environ["REDIS_URL"] = os.environ["CLUSTER_REDIS_WORKER_URL"] = REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    _host = CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]  # noqa: F405
    _host.update({"address": REDIS_URL} if "address" in _host else {"db": _db})
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"cluster.{_db}."  # noqa: F405
