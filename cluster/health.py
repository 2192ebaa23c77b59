"""/healthz: is each backing service answering? 200 when all are, 503 otherwise."""

import asyncio
import contextlib
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
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


@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503
    )
