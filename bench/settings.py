"""Settings for benchmark servers: production-like (DEBUG off), no static manifest needed.

``PAGECACHE_ENABLED=0`` in the environment turns the anonymous page cache off, to measure
the same pages uncached.
"""

from cluster.settings.base import *  # noqa: F403
from cluster.settings.base import env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="bench-only-secret-key-not-for-production-0123")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PAGECACHE_ENABLED = env.bool("PAGECACHE_ENABLED", default=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
