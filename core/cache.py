"""A Redis cache that keeps the portal working while Redis is down.

``FailoverRedisCache`` is Django's ``RedisCache`` with one difference: when Redis cannot be
reached (connection refused or lost, timeout) the operation is served by a local-memory cache
of this process instead of raising. So with Redis down

- pages, sign-in and the API render: a cache read is a miss (or what this process stored
  meanwhile), nothing raises;
- every limit kept in the cache (``core.ratelimit``, allauth's) counts in this process alone:
  a local limiter, looser across processes but never a 500 and never "everyone locked out";
- after a failure Redis is left alone for ``RETRY_SECONDS`` (default 5), so a dead server
  costs one failed connection per process and window, not one per cache call;
- it recovers by itself: the first call after the window tries Redis again. Before that call
  is served, every key this process wrote or deleted during the outage is deleted in Redis
  (and a ``clear()`` is replayed), so Redis cannot serve a value the process replaced while it
  was away (the page cache's generation, say). The local copies are then dropped.

``is_degraded()`` says whether calls are being served locally (or a resync is pending), for
code that reads Redis by another road (``core.pagecache``'s asyncio reader). ``ping()`` asks
Redis itself, bypassing the fallback, for ``/healthz``.

Why not django-redis's ``IGNORE_EXCEPTIONS``: it answers a failed ``add()`` with ``None``, and
allauth's rate limiter takes its lock with ``cache.add()``, so every sign-in would be refused
as "too many attempts" while Redis is down. A local fallback keeps both working.

Settings::

    CACHES = {"default": {"BACKEND": "core.cache.FailoverRedisCache", "LOCATION": REDIS_URL,
                          "RETRY_SECONDS": 5, ...}}
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What "Redis is unreachable" looks like; any other error (a bad value, say) still raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
# Keys remembered for the resync; past this many the oldest are forgotten (and logged).
MAX_DIRTY_KEYS = 10_000


class FailoverRedisCache(RedisCache):
    """Django's Redis cache, served from this process's memory while Redis is unreachable."""

    def __init__(self, server, params):
        params = dict(params)
        self.retry_seconds = float(params.pop("RETRY_SECONDS", 5))
        super().__init__(server, params)
        self._local = LocMemCache(
            f"failover-{id(self)}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 5000}},
        )
        self._lock = threading.Lock()
        self._down_until = 0.0  # monotonic time before which Redis is not tried
        self._down_since = None
        self._dirty = {}  # key (as given) → version, in insertion order
        self._clear_pending = False

    # --- state ---------------------------------------------------------------------------

    def is_degraded(self):
        """True while calls are served locally or a resync with Redis is still to be done."""
        return self._down_since is not None

    def ping(self):
        """Ask Redis itself (no fallback); raises when it cannot be reached."""
        return self._cache.get_client(write=False).ping()

    def _mark_down(self, error):
        with self._lock:
            self._down_until = time.monotonic() + self.retry_seconds
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.warning(
                    "cache: Redis unreachable (%s); serving from local memory, retrying every"
                    " %.0f s",
                    error.__class__.__name__,
                    self.retry_seconds,
                )

    def _redis_usable(self):
        """Whether to try Redis for this call; performs the resync after an outage."""
        if self._down_since is None:
            return True
        if time.monotonic() < self._down_until:
            return False
        with self._lock:
            if self._down_since is None:
                return True
            dirty, clear = dict(self._dirty), self._clear_pending
            try:
                if clear:
                    RedisCache.clear(self)
                for version in set(dirty.values()):
                    keys = [key for key, v in dirty.items() if v == version]
                    for start in range(0, len(keys), 500):
                        RedisCache.delete_many(self, keys[start : start + 500], version=version)
            except UNREACHABLE:
                self._down_until = time.monotonic() + self.retry_seconds
                return False
            outage = time.monotonic() - self._down_since
            self._dirty.clear()
            self._clear_pending = False
            self._local.clear()
            self._down_since = None
        logger.warning(
            "cache: Redis is back after %.0f s; %d keys written meanwhile were reset",
            outage,
            len(dirty),
        )
        return True

    def _remember(self, keys, version):
        with self._lock:
            for key in keys:
                self._dirty.pop(key, None)
                self._dirty[key] = version
            while len(self._dirty) > MAX_DIRTY_KEYS:
                forgotten = next(iter(self._dirty))
                del self._dirty[forgotten]
                logger.warning("cache: too many keys written during the outage; %s", forgotten)

    def _call(self, name, args, kwargs, *, writes=()):
        if self._redis_usable():
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._mark_down(error)
        if writes:
            self._remember(writes, kwargs.get("version"))
        return getattr(self._local, name)(*args, **kwargs)

    # --- Django's cache API --------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", (key, value, timeout), {"version": version}, writes=[key])

    def get(self, key, default=None, version=None):
        return self._call("get", (key, default), {"version": version})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", (key, value, timeout), {"version": version}, writes=[key])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", (key, timeout), {"version": version}, writes=[key])

    def delete(self, key, version=None):
        return self._call("delete", (key,), {"version": version}, writes=[key])

    def get_many(self, keys, version=None):
        return self._call("get_many", (keys,), {"version": version})

    def has_key(self, key, version=None):
        return self._call("has_key", (key,), {"version": version})

    def incr(self, key, delta=1, version=None):
        return self._call("incr", (key, delta), {"version": version}, writes=[key])

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", (data, timeout), {"version": version}, writes=list(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", (keys,), {"version": version}, writes=keys)

    def clear(self):
        if self._redis_usable():
            try:
                return RedisCache.clear(self)
            except UNREACHABLE as error:
                self._mark_down(error)
        with self._lock:
            self._clear_pending = True
        return self._local.clear()
