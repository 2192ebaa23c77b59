"""Redis connections: one server (``REDIS_URL``) or a primary found through Sentinel.

With ``REDIS_SENTINELS`` set (``host:port`` of each Sentinel), every connection asks the
Sentinels for the current primary of ``REDIS_SENTINEL_MASTER`` when it connects, so after a
failover the next connection goes to the promoted replica. ``REDIS_URL`` then gives only the
database number and the password (``redis://:password@mymaster/0``); its host is not used.

Three kinds of client use this:

- the channel layer (channels_redis builds its own pool from ``CHANNEL_LAYERS``' host entry,
  written by the settings with ``channel_layer_host``);
- the cache (Django's ``RedisCache`` builds its pools with ``OPTIONS["pool_class"]``:
  ``SentinelPool`` below);
- the chat's presence and rate limits and the page cache's asyncio reader: ``from_url``.
"""

from urllib.parse import unquote, urlsplit

import redis
import redis.asyncio
import redis.asyncio.sentinel
import redis.sentinel

DEFAULT_MASTER = "mymaster"
# A Sentinel that does not answer is skipped quickly, so a dead one costs one short wait.
SENTINEL_KWARGS = {"socket_timeout": 1, "socket_connect_timeout": 1}


def parse_sentinels(values):
    """``["10.0.0.1:26379", "sentinel-b"]`` → ``[("10.0.0.1", 26379), ("sentinel-b", 26379)]``."""
    sentinels = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        host, _, port = value.rpartition(":") if ":" in value else (value, "", "26379")
        try:
            sentinels.append((host.strip("[]"), int(port)))
        except ValueError:
            raise ValueError(f"REDIS_SENTINELS: {value!r} is not host:port") from None
    return sentinels


def url_credentials(url):
    """The database number, user name and password a redis:// URL names (host ignored)."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    credentials = {"db": int(path) if path.isdigit() else 0}
    if parts.username:
        credentials["username"] = unquote(parts.username)
    if parts.password:
        credentials["password"] = unquote(parts.password)
    return credentials


def sentinel_kwargs(password=""):
    kwargs = dict(SENTINEL_KWARGS)
    if password:
        kwargs["password"] = password
    return kwargs


def channel_layer_host(url, sentinels, master, sentinel_password="", **options):
    """A channels_redis ``hosts`` entry: the URL itself, or the Sentinels and master's name."""
    if not sentinels:
        return {"address": url, **options}
    return {
        "sentinels": list(sentinels),
        "master_name": master,
        "sentinel_kwargs": sentinel_kwargs(sentinel_password),
        **url_credentials(url),
        **options,
    }


class SentinelPool(redis.sentinel.SentinelConnectionPool):
    """Django's ``RedisCache`` pool class (``OPTIONS["pool_class"]``) for a Sentinel setup.

    The cache's ``OPTIONS`` carry ``sentinels``, ``master_name`` and ``sentinel_kwargs``;
    ``LOCATION`` (``REDIS_URL``) gives the database number and password.
    """

    @classmethod
    def from_url(cls, url, *, sentinels, master_name, sentinel_kwargs=None, **options):
        options.pop("parser_class", None)
        manager = redis.sentinel.Sentinel(
            [tuple(s) for s in sentinels], sentinel_kwargs=sentinel_kwargs
        )
        return cls(master_name, manager, **url_credentials(url), **options)


def from_url(url, *, asyncio=False, **options):
    """A client for ``url`` (``redis.Redis``, or ``redis.asyncio.Redis`` with ``asyncio``)
    that follows the Sentinels' primary when ``REDIS_SENTINELS`` is set."""
    from django.conf import settings

    sentinels = getattr(settings, "REDIS_SENTINELS", None)
    if not sentinels:
        client_class = redis.asyncio.Redis if asyncio else redis.Redis
        return client_class.from_url(url, **options)
    sentinel_class = redis.asyncio.sentinel.Sentinel if asyncio else redis.sentinel.Sentinel
    manager = sentinel_class(
        [tuple(s) for s in sentinels],
        sentinel_kwargs=sentinel_kwargs(getattr(settings, "REDIS_SENTINEL_PASSWORD", "")),
    )
    return manager.master_for(
        getattr(settings, "REDIS_SENTINEL_MASTER", DEFAULT_MASTER),
        **url_credentials(url),
        **options,
    )
