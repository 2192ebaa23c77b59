"""Real daphne processes sharing the database and Redis: cross-process delivery, presence
and rate limits, and a process killed with SIGKILL."""

import asyncio
import signal

import pytest

from chat.models import Message
from tests.chat.conftest import session_cookie
from tests.chat.live import LiveClient, run
from tests.services import redis_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.slow]

FAST_PRESENCE = {"CHAT_PRESENCE_HEARTBEAT_SECONDS": "0.5", "CHAT_PRESENCE_TTL_SECONDS": "2"}


def db_view(project):
    return [
        (seq, body, deleted_at is not None)
        for seq, body, deleted_at in Message.objects.filter(project=project)
        .order_by("seq")
        .values_list("seq", "body", "deleted_at")
    ]


def start_two(daphne_factory, **env):
    env = {"REDIS_URL": redis_url(), **FAST_PRESENCE, **env}
    return daphne_factory(**env), daphne_factory(**env)


def test_message_presence_and_rate_limit_across_processes(team, daphne_factory):
    a, b = start_two(daphne_factory, CHAT_RATE_LIMIT_COUNT=3, CHAT_RATE_LIMIT_SECONDS=60)
    member = LiveClient("member", session_cookie(team.member), team.project.pk, [a])
    coordinator = LiveClient("coordinator", session_cookie(team.coordinator), team.project.pk, [b])
    member_on_b = LiveClient("member-b", session_cookie(team.member), team.project.pk, [b])

    async def scenario():
        await member.open()
        await coordinator.open()
        # Presence from the other process.
        assert coordinator.online_ids() == sorted([team.member.pk, team.coordinator.pk])
        await member.send("from process A")
        await coordinator.pump(lambda c: c.view() == [(1, "from process A", False)])
        await coordinator.send("from process B")
        await member.pump(lambda c: len(c.messages) == 2 and not c.outbox)
        # The same person on both processes shares one budget of 3 messages.
        await member_on_b.open()
        await member.send("3")
        await member_on_b.send("4")
        await member.pump(lambda c: not c.outbox)
        await member_on_b.pump(lambda c: not c.outbox)
        refused = await member.send("5")
        await member.pump(lambda c: any(e.get("ref") == refused for e in c.errors))
        assert [e["code"] for e in member.errors if e.get("ref") == refused] == ["rate_limited"]
        # Typing crosses processes and is not echoed to the typist's other socket.
        await coordinator.socket.send('{"type": "typing"}')
        await member.pump(lambda c: c.typing)
        assert member.typing[0]["id"] == team.coordinator.pk
        for client in (member, coordinator, member_on_b):
            await client.close()

    run(scenario())
    view = db_view(team.project)
    assert [seq for seq, _, _ in view] == [1, 2, 3, 4]
    assert view[:2] == [(1, "from process A", False), (2, "from process B", False)]
    assert sorted(body for _, body, _ in view[2:]) == ["3", "4"]  # sent at once: either order


def test_killed_process_clients_reconnect_to_the_other_and_lose_nothing(team, daphne_factory):
    a, b = start_two(daphne_factory)
    member = LiveClient("member", session_cookie(team.member), team.project.pk, [a, b])
    coordinator = LiveClient("coordinator", session_cookie(team.coordinator), team.project.pk, [b])

    async def scenario():
        await member.open(a)
        await coordinator.open()
        for index in range(3):
            await member.send(f"before {index}")
        await coordinator.pump(lambda c: len(c.messages) == 3)
        a.stop(sig=signal.SIGKILL)
        # Nobody said goodbye for the member: presence expires on its own.
        await coordinator.pump(lambda c: c.online_ids() == [team.coordinator.pk], timeout=15)
        for index in range(3):
            await coordinator.send(f"while away {index}")
        await member.send("sent into the void")  # the socket is dead; kept in the outbox
        await member.pump(lambda c: c.server is b and not c.outbox and len(c.messages) == 7)
        await coordinator.pump(lambda c: len(c.messages) == 7)
        await coordinator.pump(lambda c: team.member.pk in c.online_ids())
        assert member.view() == coordinator.view()
        for client in (member, coordinator):
            await client.close()
        return member.view()

    view = run(scenario())
    assert view == db_view(team.project)
    assert [seq for seq, _, _ in view] == list(range(1, 8))


def test_idle_sockets_stay_open_past_redis_read_timeouts(team, daphne_factory):
    """redis-py's read timeout must not kill quiet consumers (channels_redis#422)."""
    # A short read timeout (30 s in production) so the sockets sit quiet past it sooner.
    server = daphne_factory(REDIS_URL=redis_url(), CHANNEL_SOCKET_TIMEOUT=3)
    member = LiveClient("member", session_cookie(team.member), team.project.pk, [server])
    coordinator = LiveClient(
        "coordinator", session_cookie(team.coordinator), team.project.pk, [server]
    )

    async def scenario():
        await member.open()
        await coordinator.open()
        await asyncio.sleep(7)  # two read timeouts
        await coordinator.send("still there?")
        await member.pump(lambda c: len(c.messages) == 1, reconnect=False)
        assert member.close_code is None and coordinator.close_code is None
        for client in (member, coordinator):
            await client.close()

    run(scenario())
