"""Presence in big rooms (issue 31): bounded Redis connections under bursts, presence failures
that close nobody's socket, and presence frames coalesced per room.

The Redis of the first two tests is a redis-server of the test's own (``OwnRedis``), so its
connections can be counted and it can be stopped for real; without the binary they fail under
CI=true and are skipped elsewhere. The channel layer is the run's own (Redis on the services
leg, in memory on the embedded one).
"""

import asyncio
import logging

import pytest
import redis
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from chat import presence
from cluster.asgi import application
from tests.chat.helpers import HOST, ORIGIN, join, next_of, send, ws_path
from tests.factories import UserFactory
from tests.services import OwnRedis

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_redis(settings):
    server = OwnRedis().start()
    settings.REDIS_URL = server.url
    yield server
    server.stop()


def chat_connections(server):
    """Connections the chat's presence and rate-limit clients hold to ``server`` (every one
    but the one asking)."""
    client = redis.Redis(port=server.port)
    try:
        return len(client.client_list()) - 1
    finally:
        client.close()


async def online_ids(communicator, expected, timeout=10):
    """Read presence frames until one lists exactly ``expected``; returns the frames read."""
    frames = []
    async with asyncio.timeout(timeout):
        while True:
            frame = await next_of(communicator, "presence", timeout=timeout)
            frames.append(frame)
            if sorted(user["id"] for user in frame["online"]) == sorted(expected):
                return frames


async def test_burst_of_closes_with_a_small_pool_ends_presence_right(
    team, cookies, own_redis, settings, caplog
):
    settings.CHAT_REDIS_MAX_CONNECTIONS = 2
    settings.CHAT_PRESENCE_TTL_SECONDS = 600  # only a leave can take anyone offline here
    caplog.set_level(logging.WARNING)
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    sockets = await asyncio.gather(*(join(team.project.pk, cookies["member"]) for _ in range(40)))
    await online_ids(coordinator, [team.coordinator.pk, team.member.pk])

    await asyncio.gather(*(socket.disconnect() for socket, _hello in sockets))

    await online_ids(coordinator, [team.coordinator.pk])
    # Bounded: a pool of 2 for this event loop's client and one of 2 for the synchronous
    # client (message path, threads); 40 sockets closing at once used to open one each.
    assert await asyncio.to_thread(chat_connections, own_redis) <= 2 * 2
    assert "Too many connections" not in caplog.text
    assert "presence unavailable" not in caplog.text
    assert presence.online_user_ids_sync(team.project.pk) == {team.coordinator.pk}
    await coordinator.disconnect()


async def test_presence_failure_keeps_sockets_open_and_recovers(
    team, cookies, own_redis, settings, caplog
):
    settings.CHAT_PRESENCE_HEARTBEAT_SECONDS = 0.2
    settings.CHAT_PRESENCE_TTL_SECONDS = 600
    caplog.set_level(logging.WARNING, logger="chat")
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    member, _ = await join(team.project.pk, cookies["member"])
    await online_ids(coordinator, [team.coordinator.pk, team.member.pk])

    await asyncio.to_thread(own_redis.stop)
    async with asyncio.timeout(20):
        while "presence heartbeat failed" not in caplog.text:
            await asyncio.sleep(0.1)
    # A presence write fails too: the member leaves while Redis is down.
    await member.disconnect()

    # The coordinator's socket is still open and still chats.
    await send(coordinator, "still here")
    frame = await next_of(coordinator, "message.new")
    assert frame["message"]["body"] == "still here"

    # Redis is back (empty): the next heartbeat writes the coordinator's entry again and the
    # room is told who is online now.
    await asyncio.to_thread(own_redis.start)
    await online_ids(coordinator, [team.coordinator.pk], timeout=20)
    assert presence.online_user_ids_sync(team.project.pk) == {team.coordinator.pk}
    await coordinator.disconnect()


def superusers_with_sessions(count):
    """``count`` people who may open any chat, each signed in (a session cookie)."""
    cookies = []
    for index in range(count):
        user = UserFactory(username=f"joiner{index:03d}", is_superuser=True, is_staff=True)
        client = Client()
        client.force_login(user)
        cookies.append((user.pk, client.cookies["sessionid"].value))
    return cookies


async def patient_join(project_id, cookie):
    """``join``, with room for 200 handshakes queued on one test database."""
    headers = [(b"host", HOST), (b"origin", ORIGIN), (b"cookie", f"sessionid={cookie}".encode())]
    communicator = WebsocketCommunicator(application, ws_path(project_id), headers=headers)
    connected, _ = await communicator.connect(timeout=120)
    assert connected
    hello = await communicator.receive_json_from(timeout=120)
    assert hello["type"] == "hello", hello
    return communicator, hello


async def test_join_storm_sends_few_presence_frames_and_ends_with_everyone(
    team, cookies, settings
):
    # A window long against any machine's join rate, so the bound below holds on a slow one.
    settings.CHAT_PRESENCE_COALESCE_SECONDS = 10
    joiners = await database_sync_to_async(superusers_with_sessions)(200)
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await online_ids(coordinator, [team.coordinator.pk])
    loop = asyncio.get_running_loop()
    started = loop.time()

    sockets = await asyncio.gather(
        *(patient_join(team.project.pk, cookie) for _pk, cookie in joiners)
    )
    everyone = [team.coordinator.pk] + [pk for pk, _cookie in joiners]
    frames = await online_ids(coordinator, everyone, timeout=60)
    elapsed = loop.time() - started

    assert len(frames) < 200 // 4, len(frames)
    # At most one frame per window, and the first change after a quiet window at once.
    assert len(frames) <= elapsed / 10 + 2, (len(frames), elapsed)
    # Every frame is a full list, never a delta.
    assert all(len(frame["online"]) == len({u["id"] for u in frame["online"]}) for frame in frames)
    await asyncio.gather(*(socket.disconnect() for socket, _hello in sockets))
    await online_ids(coordinator, [team.coordinator.pk], timeout=60)
    await coordinator.disconnect()


async def test_a_single_join_is_announced_without_waiting_for_the_window(team, cookies, settings):
    settings.CHAT_PRESENCE_COALESCE_SECONDS = 0
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await online_ids(coordinator, [team.coordinator.pk])
    # A long window: only a change after a quiet window can arrive within the read timeout.
    settings.CHAT_PRESENCE_COALESCE_SECONDS = 600
    member, _ = await join(team.project.pk, cookies["member"])
    await online_ids(coordinator, [team.coordinator.pk, team.member.pk], timeout=10)
    await member.disconnect()
    await coordinator.disconnect()
