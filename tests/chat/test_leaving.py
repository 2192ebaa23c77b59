"""However a socket ends, its person stops being online at once (issue 18, finding 2: a crashed
consumer kept its person "online" until the presence TTL)."""

import asyncio

import pytest

from chat import runtime
from tests.chat.helpers import join, next_of

pytestmark = pytest.mark.django_db(transaction=True)


async def _online_ids(communicator, expected, timeout=3):
    """Wait for a presence frame whose online ids are ``expected``."""
    async with asyncio.timeout(timeout):
        while True:
            frame = await next_of(communicator, "presence", timeout=timeout)
            ids = sorted(user["id"] for user in frame["online"])
            if ids == sorted(expected):
                return ids


async def _both_online(team, cookies):
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    member, _ = await join(team.project.pk, cookies["member"])
    await _online_ids(coordinator, [team.coordinator.pk, team.member.pk])
    return coordinator, member


async def test_cancelled_application_leaves_presence(team, cookies, settings):
    """The server cancels the application (daphne does when a client vanishes and the
    application does not finish, or at shutdown): presence is left, not kept until the TTL."""
    settings.CHAT_PRESENCE_TTL_SECONDS = 600
    coordinator, member = await _both_online(team, cookies)
    member.future.cancel()
    await _online_ids(coordinator, [team.coordinator.pk])
    await coordinator.disconnect()


async def test_crashed_consumer_leaves_presence(team, cookies, settings):
    """An application that fails (here: its handler of the client's frames raises) still
    leaves presence on its way out."""
    settings.CHAT_PRESENCE_TTL_SECONDS = 600
    coordinator, member = await _both_online(team, cookies)
    [consumer] = [c for c in runtime.consumers() if c.user.pk == team.member.pk]

    async def crash(message):
        raise KeyError("text")

    consumer.websocket_receive = crash
    await member.send_json_to({"type": "typing"})
    await _online_ids(coordinator, [team.coordinator.pk])
    with pytest.raises(KeyError):
        await member.wait(timeout=3)
    await coordinator.disconnect()


async def test_closing_client_leaves_presence(team, cookies):
    coordinator, member = await _both_online(team, cookies)
    await member.disconnect()
    await _online_ids(coordinator, [team.coordinator.pk])
    await coordinator.disconnect()
