"""Redis clients for presence and rate limits (when ``REDIS_URL`` is set).

redis-py's asyncio client belongs to the event loop that created it, so one is kept per loop
(daphne has one; tests start many). Timeouts are short and retries off: when Redis is down the
chat must answer quickly (``unavailable``, or fall back), not hang. With ``REDIS_SENTINELS``
each new connection goes to the primary the Sentinels name (``core.redis_connection``).
"""

import asyncio
import weakref

import redis
import redis.asyncio
from django.conf import settings
from redis.backoff import NoBackoff

from core import redis_connection

ERRORS = (redis.RedisError, OSError, asyncio.TimeoutError)

_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2, "health_check_interval": 15}

_async_clients = weakref.WeakKeyDictionary()
_sync_clients = {}


def enabled():
    return bool(settings.REDIS_URL)


def async_client():
    """This event loop's client for ``REDIS_URL`` (a changed setting gets a new one)."""
    from redis.asyncio.retry import Retry

    clients = _async_clients.setdefault(asyncio.get_running_loop(), {})
    url = settings.REDIS_URL
    client = clients.get(url)
    if client is None:
        client = clients[url] = redis_connection.from_url(
            url, asyncio=True, retry=Retry(NoBackoff(), 0), **_OPTIONS
        )
    return client


def sync_client():
    from redis.retry import Retry

    url = settings.REDIS_URL
    client = _sync_clients.get(url)
    if client is None:
        client = _sync_clients[url] = redis_connection.from_url(
            url, retry=Retry(NoBackoff(), 0), **_OPTIONS
        )
    return client
