"""Redis clients for presence and rate limits (when ``REDIS_URL`` is set).

redis-py's asyncio client belongs to the event loop that created it, so one is kept per loop
(daphne has one; tests start many). Timeouts are short and retries off: when Redis is down the
chat must answer quickly (``unavailable``, or fall back), not hang. With ``REDIS_SENTINELS``
each new connection goes to the primary the Sentinels name (``core.redis_connection``).

Each client draws on a bounded, blocking pool (``CHAT_REDIS_MAX_CONNECTIONS`` connections per
process and event loop): when hundreds of sockets open or close at once, each presence call
waits up to ``CHAT_REDIS_POOL_TIMEOUT`` seconds for a free connection instead of opening one
more. redis-py's default pool opens up to 100 and then raises "Too many connections", which
left the people of a mass disconnect "online" until their entries expired. (Behind Sentinel the
pool is the Sentinel's, bounded by the same number of connections.)
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


def _pool_settings():
    return (
        settings.REDIS_URL,
        max(1, int(settings.CHAT_REDIS_MAX_CONNECTIONS)),
        float(settings.CHAT_REDIS_POOL_TIMEOUT),
    )


def async_client():
    """This event loop's client for ``REDIS_URL`` (a changed setting gets a new one)."""
    from redis.asyncio.retry import Retry

    clients = _async_clients.setdefault(asyncio.get_running_loop(), {})
    key = _pool_settings()
    client = clients.get(key)
    if client is None:
        url, max_connections, timeout = key
        if getattr(settings, "REDIS_SENTINELS", None):
            client = clients[key] = redis_connection.from_url(
                url,
                asyncio=True,
                retry=Retry(NoBackoff(), 0),
                max_connections=max_connections,
                **_OPTIONS,
            )
        else:
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                url, max_connections=max_connections, timeout=timeout, **_OPTIONS
            )
            client = clients[key] = redis.asyncio.Redis(
                connection_pool=pool, retry=Retry(NoBackoff(), 0)
            )
    return client


def sync_client():
    from redis.retry import Retry

    key = _pool_settings()
    client = _sync_clients.get(key)
    if client is None:
        url, max_connections, timeout = key
        if getattr(settings, "REDIS_SENTINELS", None):
            client = _sync_clients[key] = redis_connection.from_url(
                url, retry=Retry(NoBackoff(), 0), max_connections=max_connections, **_OPTIONS
            )
        else:
            pool = redis.BlockingConnectionPool.from_url(
                url, max_connections=max_connections, timeout=timeout, **_OPTIONS
            )
            client = _sync_clients[key] = redis.Redis(
                connection_pool=pool, retry=Retry(NoBackoff(), 0)
            )
    return client
