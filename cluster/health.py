"""/healthz: is each backing service answering? 200 when all are, 503 otherwise.

Anyone (a load balancer, a monitor) gets the status alone: ``{"status": "ok"}`` or
``{"status": "error"}``. Which service failed, and why, may name a database, a host or a port,
so only operators see it: a signed-in staff member, or a request carrying
``Authorization: Bearer <HEALTHZ_TOKEN>`` when that environment variable is set. Failures are
logged either way.
"""

import asyncio
import contextlib
import hmac
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


logger = logging.getLogger(__name__)


def _check_cache():
    backend = caches["default"]
    if hasattr(backend, "ping"):
        # core.cache.FailoverRedisCache answers from local memory while Redis is down, so a
        # round trip through it would look healthy: ask Redis itself.
        backend.ping()
        return
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 5)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just stored")
    cache.delete(key)


async def _channel_round_trip():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "healthz.ping"})
    # A receive that times out is cancelled, which releases the channel by itself.
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    await _forget(layer, channel)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("channel layer returned another message")


async def _forget(layer, channel):
    """Release the probe channel: channel layers drop a channel whose receive is cancelled
    (the pub/sub layer unsubscribes from it), as when a consumer goes away."""
    waiter = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    waiter.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await waiter


def _check_channel_layer():
    async_to_sync(_channel_round_trip)()


CHECKS = {
    "database": _check_database,
    "channel_layer": _check_channel_layer,
    "cache": _check_cache,
}


def _is_operator(request):
    token = getattr(settings, "HEALTHZ_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header[len("Bearer ") :].encode(), token.encode()):
            return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
            logger.warning("healthz: %s failed: %s: %s", name, exc.__class__.__name__, exc)
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
    healthy = all(value == "ok" for value in results.values())
    body = {"status": "ok" if healthy else "error"}
    if _is_operator(request):
        body.update(results)
    return JsonResponse(body, status=200 if healthy else 503)
