"""Presence and rate limits, in memory and (when configured) in Redis."""

import asyncio

import pytest
from django.core.cache import cache

from chat import presence, ratelimit, redis_clients
from tests.chat.live import run

MARTA = {"id": 1, "username": "marta", "name": "Marta Puig"}
CLARA = {"id": 2, "username": "clara", "name": "Clara Vidal"}


@pytest.fixture(params=["memory", "redis"])
def backend(request, settings):
    if request.param == "redis":
        from tests.services import redis_url

        settings.REDIS_URL = redis_url()
    else:
        settings.REDIS_URL = ""
    cache.clear()
    for store in (presence._entries, presence._users, presence._last):
        store.clear()
    ratelimit.reset()
    yield request.param
    if request.param == "redis":
        redis_clients.sync_client().delete(*presence._keys(99), "chat:rate:42")


def test_presence_is_announced_once_per_change_and_expires(backend, settings):
    settings.CHAT_PRESENCE_TTL_SECONDS = 0.6

    async def scenario():
        assert await presence.join(99, MARTA, "a") == (True, [MARTA])
        assert await presence.join(99, MARTA, "b") == (False, [MARTA])  # a second tab
        changed, online = await presence.join(99, CLARA, "c")
        assert changed and online == [MARTA, CLARA]
        # A leave or a heartbeat says only whether the set changed; the list is read when
        # it is sent (``current``), not with every socket's leave.
        assert await presence.leave(99, MARTA, "a") == (False, [])
        assert await presence.current(99) == (False, [MARTA, CLARA])
        assert presence.online_user_ids_sync(99) == {1, 2}
        await asyncio.sleep(0.4)
        assert (await presence.beat(99, CLARA, "c"))[0] is False
        await asyncio.sleep(0.4)
        # Marta's remaining socket was never refreshed (its process died): she is gone.
        assert await presence.beat(99, CLARA, "c") == (True, [])
        assert await presence.current(99) == (False, [CLARA])
        assert presence.online_user_ids_sync(99) == {2}

    run(scenario())


def test_rate_limit_window(backend, settings):
    settings.CHAT_RATE_LIMIT_COUNT = 3
    settings.CHAT_RATE_LIMIT_SECONDS = 0.5

    async def scenario():
        results = [await ratelimit.hit(42) for _ in range(4)]
        await asyncio.sleep(0.6)
        results.append(await ratelimit.hit(42))
        return results

    assert run(scenario()) == [True, True, True, False, True]
