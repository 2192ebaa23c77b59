"""Redis clients for presence and rate limits (when ``REDIS_URL`` is set).

redis-py's asyncio client belongs to the event loop that created it, so one is kept per loop
(daphne has one; tests start many). Timeouts are short and retries off: when Redis is down the
chat must answer quickly (``unavailable``, or fall back), not hang.
"""

import asyncio
import weakref

import redis
import redis.asyncio
from django.conf import settings
from redis.backoff import NoBackoff

ERRORS = (redis.RedisError, OSError, asyncio.TimeoutError)

_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2, "health_check_interval": 15}

_async_clients = weakref.WeakKeyDictionary()
_sync_client = None


def enabled():
    return bool(settings.REDIS_URL)


def async_client():
    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        from redis.asyncio.retry import Retry

        client = redis.asyncio.Redis.from_url(
            settings.REDIS_URL, retry=Retry(NoBackoff(), 0), **_OPTIONS
        )
        _async_clients[loop] = client
    return client


def sync_client():
    global _sync_client
    if _sync_client is None:
        from redis.retry import Retry

        _sync_client = redis.Redis.from_url(
            settings.REDIS_URL, retry=Retry(NoBackoff(), 0), **_OPTIONS
        )
    return _sync_client
