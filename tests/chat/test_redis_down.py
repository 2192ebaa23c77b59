"""Issue 18, finding 1 (the chat's part): with Redis down, the websocket handshake does not
raise; the socket is accepted, told ``unavailable`` and closed (1000, the client retries),
and the chat works again by itself when Redis is back.

Redis is this test's own redis-server, on a free port, stopped for real and started again on
the same port.
"""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async

from tests.chat.helpers import close_code, join, next_of, open_socket, send
from tests.services import OwnRedis

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def own_redis(settings):
    server = OwnRedis().start()
    settings.REDIS_URL = server.url
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": server.url, "socket_connect_timeout": 2}],
                "prefix": f"chat-down-{server.port}.",
            },
        }
    }
    yield server
    server.stop()


async def test_handshake_with_redis_down_says_unavailable_and_recovers(
    team, cookie_for, own_redis
):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    before, _hello = await join(team.project.pk, cookie)
    await before.disconnect()

    await asyncio.to_thread(own_redis.stop)
    started = time.monotonic()
    communicator, connected = await open_socket(team.project.pk, cookie)
    assert connected, "the handshake must complete while Redis is down"
    frame = await communicator.receive_json_from(timeout=10)
    assert frame["type"] == "error" and frame["code"] == "unavailable", frame
    assert frame["detail"]
    assert await close_code(communicator) == 1000
    assert time.monotonic() - started < 8, "answered only after a long wait"

    # The anonymous still get the protocol's 4401, not `unavailable`.
    anonymous, connected = await open_socket(team.project.pk)
    assert connected
    assert await close_code(anonymous) == 4401

    await asyncio.to_thread(own_redis.start)
    deadline = time.monotonic() + 15
    while True:
        communicator, connected = await open_socket(team.project.pk, cookie)
        assert connected
        frame = await communicator.receive_json_from(timeout=10)
        if frame["type"] == "hello":
            break
        assert frame["code"] == "unavailable", frame
        await close_code(communicator)
        assert time.monotonic() < deadline, "the chat did not come back with Redis"
        await asyncio.sleep(0.3)
    await send(communicator, "Redis is back")
    assert (await next_of(communicator, "message.new"))["message"]["body"] == "Redis is back"
    await communicator.disconnect()
