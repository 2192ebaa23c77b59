"""A page cache for anonymous visitors: published Wagtail pages and the directories.

A hit is answered before sessions, authentication or anything else can touch the database, so
it runs no SQL at all. Only requests that cannot be anyone's private view are served from it or
stored in it: GET/HEAD, no session or messages cookie, no query parameters except those the
apps register (their directories' filters), not under the private prefixes. A response is
stored only if it came from Wagtail's page view (or a URL name listed in
``PAGECACHE_URL_NAMES``, plain or namespaced), is a plain 200, sets no cookie, used no CSRF
token, is no preview and is not marked private.

Invalidation is by generation: every entry carries the generation it was rendered in, and an
entry from an older generation is a miss. ``cache_invalidate()`` starts a new generation; the
Wagtail publish/unpublish/move/delete signals call it, and any app may call it after a change
that shows on public pages (a project's partners, say). Entries are read together with the
generation in one cache round trip.

Why not wagtail-cache: it decides "signed in?" with ``request.user`` (a database query unless it
runs before the session middleware, where it cannot tell), does not look at CSRF token use, and
invalidates with ``cache.clear()``, which on Redis flushes the whole database the channel layer,
rate limits and presence share.

Settings (all optional): ``PAGECACHE_ENABLED`` (default True), ``PAGECACHE_TIMEOUT`` (seconds,
default 600), ``PAGECACHE_QUERY_PARAMS`` (query parameters that may be cached; by default those
the apps register with the ``register_pagecache_query_params`` hook, next to their filter
sets), ``PAGECACHE_URL_NAMES`` (extra public URL names to cache, e.g. a search view),
``PAGECACHE_PRIVATE_PREFIXES``.
"""

import hashlib
import logging
import uuid
from urllib.parse import parse_qsl, urlencode

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from .i18n import request_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
HEADER = "X-Page-Cache"

# Each app returns the query parameters its public pages may be cached with (a directory's
# filters, say) from a function registered for this hook, next to its filter set:
#
#     @hooks.register(pagecache.QUERY_PARAMS_HOOK)
#     def directory_cache_params():
#         return directory.PAGECACHE_PARAMS
QUERY_PARAMS_HOOK = "register_pagecache_query_params"
DEFAULT_PRIVATE_PREFIXES = (
    "/portal/",
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/api/",
    "/i18n/",
    "/jsi18n/",
    "/documents/",
    "/healthz",
    "/ws/",
    "/static/",
    "/media/",
)
MAX_QUERY_LENGTH = 512
# Headers that belong to one response only, never to a replay.
_SKIPPED_HEADERS = frozenset({"set-cookie", "date", HEADER.lower()})


def _setting(name, default):
    return getattr(settings, f"PAGECACHE_{name}", default)


_registered_params = None


def query_params():
    """The query parameters a cached page may carry: every app's registration (the
    ``PAGECACHE_QUERY_PARAMS`` setting replaces them all when it is set)."""
    global _registered_params
    configured = _setting("QUERY_PARAMS", None)
    if configured is not None:
        return frozenset(configured)
    if _registered_params is None:
        from wagtail import hooks

        # Read once: hooks are registered at start-up, and this runs on every request.
        _registered_params = frozenset(
            name for function in hooks.get_hooks(QUERY_PARAMS_HOOK) for name in function()
        )
    return _registered_params


def cache_invalidate():
    """Make every cached page stale, now and again once the current transaction commits.

    The second bump covers a request that rendered the old content between the first bump and
    the commit and stored it under the new generation.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - a dead cache must not break a publish
        logger.exception("page cache: could not bump the generation")


def memo(name, compute, *, timeout=None):
    """``compute()``'s value, kept in the cache until published content next changes.

    For reads that every visitor's page repeats and that only publishing changes (a
    directory's facets, say): the value is stored with the page cache's generation, so
    ``cache_invalidate()`` makes it stale exactly when it makes cached pages stale. Used whether
    or not the page cache serves pages (signed-in visitors benefit too). ``name`` must say
    everything the value depends on besides published content. A cache failure just computes.
    """
    key = "pagecache:memo:" + name
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:  # noqa: BLE001 - the page renders without a cache
        logger.exception("page cache: memo read failed")
        return compute()
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    try:
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(GENERATION_KEY, generation, None):
                generation = cache.get(GENERATION_KEY)
        if generation is not None:
            cache.set(key, (generation, value), timeout or _setting("TIMEOUT", 600))
    except Exception:  # noqa: BLE001
        logger.exception("page cache: memo write failed")
    return value


def _request_key(request):
    """The cache key for this request, or None when it must not be served from the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path
    if path.startswith(_setting("PRIVATE_PREFIXES", DEFAULT_PRIVATE_PREFIXES)):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    query = request.META.get("QUERY_STRING", "")
    if query:
        if len(query) > MAX_QUERY_LENGTH:
            return None
        pairs = parse_qsl(query, keep_blank_values=True)
        allowed = query_params()
        if any(name not in allowed for name, _ in pairs):
            return None
        query = urlencode(sorted(pairs))
    try:
        host = request.get_host()
    except Exception:  # noqa: BLE001 - DisallowedHost: let Django answer it
        return None
    # The language the page will be rendered in, decided exactly as the locale middleware does:
    # a Spanish visitor never gets the English page of the same URL, and back.
    language = request_language(request)
    raw = f"{request.scheme}://{host}{path}?{query}|{language}"
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _response_cacheable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_USED"):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    match = getattr(request, "resolver_match", None)
    url_names = {"wagtail_serve", *_setting("URL_NAMES", ())}
    # A name may be namespaced ("knowledge:community") so a common name stays unambiguous.
    return match is not None and (match.url_name in url_names or match.view_name in url_names)


def _freeze(response):
    headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS]
    return (response.status_code, headers, response.content)


def _thaw(frozen, request):
    status, headers, content = frozen
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    for name, value in headers:
        response[name] = value
    if request.method == "HEAD":
        response["Content-Length"] = str(len(content))
    response[HEADER] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous pages; the first middleware, so a hit skips all the others.

    Under ASGI a hit stays on the event loop except for the cache read, which runs in a worker
    thread outside the thread that serialises Django's synchronous code; a miss runs the
    rest of the (synchronous) middleware chain and the view as usual.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        key = _request_key(request) if _setting("ENABLED", True) else None
        if key is None:
            return self.get_response(request)
        generation, hit = _lookup(key, request)
        if hit is not None:
            return hit
        response = self.get_response(request)
        return _store(key, generation, request, response)

    async def _acall(self, request):
        key = _request_key(request) if _setting("ENABLED", True) else None
        if key is None:
            return await self.get_response(request)
        generation, hit = await sync_to_async(_lookup, thread_sensitive=False)(key, request)
        if hit is not None:
            return hit
        response = await self.get_response(request)
        return await sync_to_async(_store, thread_sensitive=False)(
            key, generation, request, response
        )


def _lookup(key, request):
    """(generation, response or None); generation None when the cache has none (or failed)."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:  # noqa: BLE001 - pages render without a cache
        logger.exception("page cache: read failed")
        return _FAILED, None
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return generation, _thaw(entry[1], request)
    return generation, None


_FAILED = object()


def _store(key, generation, request, response):
    if generation is _FAILED or not _response_cacheable(request, response):
        return response
    try:
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(GENERATION_KEY, generation, None):
                generation = cache.get(GENERATION_KEY)
        if generation is not None:
            cache.set(key, (generation, _freeze(response)), _setting("TIMEOUT", 600))
    except Exception:  # noqa: BLE001
        logger.exception("page cache: write failed")
        return response
    response[HEADER] = "miss"
    return response


class PageCacheASGI:
    """ASGI front for Django's HTTP app that answers page cache hits before Django runs.

    The middleware alone still costs Django's per-request machinery on a hit (request
    signals, a fresh thread for synchronous receivers, the middleware adapters); measured under
    daphne that was most of a hit's CPU. Misses and everything not cacheable go to Django
    unchanged, where the middleware stores what may be stored.
    """

    def __init__(self, app):
        self.app = app
        # Read the apps' registrations now, at start-up: reading them imports every app's
        # wagtail_hooks, which must not happen on the event loop.
        query_params()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        if not _setting("ENABLED", True):
            return await self.app(scope, receive, send)
        from django.core.handlers.asgi import ASGIRequest

        request = ASGIRequest(scope, None)
        key = _request_key(request)
        if key is None:
            return await self.app(scope, receive, send)
        entry = await _alookup_frozen(key)
        if entry is None:
            return await self.app(scope, receive, send)
        status, headers, content = entry
        raw_headers = [
            (name.encode("latin1"), str(value).encode("latin1"))
            for name, value in headers
            if name.lower() != "content-length"
        ]
        raw_headers.append((b"content-length", str(len(content)).encode()))
        raw_headers.append((HEADER.encode(), b"hit"))
        await send({"type": "http.response.start", "status": status, "headers": raw_headers})
        body = b"" if scope["method"] == "HEAD" else content
        await send({"type": "http.response.body", "body": body})


async def _alookup_frozen(key):
    """The frozen response for ``key`` if current, read without leaving the event loop.

    A hop to a worker thread costs more than the whole hit under daphne (the event loop
    thread and the worker fight over the GIL), so Redis is read with redis-py's asyncio client
    (same keys and serialisation as Django's RedisCache) and the local-memory cache directly.
    """
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    location = settings.CACHES["default"].get("LOCATION")
    if (
        isinstance(backend, RedisCache)
        and isinstance(location, str)
        and "," not in location
        # While core.cache serves from local memory (Redis down, or just back and not yet
        # resynchronised), Redis may hold stale entries: go through the cache instead.
        and not (hasattr(backend, "is_degraded") and backend.is_degraded())
    ):
        try:
            raw = await _redis().mget([cache.make_key(GENERATION_KEY), cache.make_key(key)])
        except Exception:  # noqa: BLE001 - Django will render the page
            logger.exception("page cache: read failed")
            return None
        generation, entry = (None if value is None else _redis_loads(value) for value in raw)
    elif type(backend) is LocMemCache:
        _, frozen = _lookup_frozen(key)
        return frozen
    else:
        _, frozen = await sync_to_async(_lookup_frozen, thread_sensitive=False)(key)
        return frozen
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    return None


_redis_clients = {}


def _redis():
    """One asyncio Redis client per event loop (daphne runs one)."""
    import asyncio

    from .redis_connection import from_url

    loop = asyncio.get_running_loop()
    client = _redis_clients.get(loop)
    if client is None:
        config = settings.CACHES["default"]
        options = config.get("OPTIONS", {})
        client = from_url(
            config["LOCATION"],
            asyncio=True,
            socket_timeout=options.get("socket_timeout", 2),
            socket_connect_timeout=options.get("socket_connect_timeout", 2),
        )
        _redis_clients.clear()
        _redis_clients[loop] = client
    return client


def _redis_loads(value):
    """Django's RedisSerializer.loads: integers are stored plain, everything else pickled."""
    import pickle

    try:
        return int(value)
    except ValueError:
        return pickle.loads(value)


def _lookup_frozen(key):
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:  # noqa: BLE001 - Django will render the page
        logger.exception("page cache: read failed")
        return None, None
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return generation, entry[1]
    return generation, None
