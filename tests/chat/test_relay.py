"""A room's frames reach a server process once and are written to its sockets there
(``chat.relay``): one subscription per room and process, nothing missed while joining."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from chat import events, presence, relay, runtime, services
from tests.chat.helpers import close_code, join, next_of, send
from tests.services import redis_url

pytestmark = pytest.mark.django_db(transaction=True)


def _subscribers(layer, group):
    """Channels of this process in ``group`` (either layer keeps them by group)."""
    key = layer._get_group_channel_name(group) if hasattr(layer, "prefix") else group
    return len(layer.groups.get(key, ()))


async def _close_all(communicators):
    for communicator in communicators:
        await communicator.disconnect()


async def test_a_room_is_one_subscription_per_process(team, cookies):
    layer = get_channel_layer()
    group = events.group_name(team.project.pk)
    sockets = []
    for name in ("coordinator", "member") * 3:
        communicator, _ = await join(team.project.pk, cookies[name])
        sockets.append(communicator)
    assert _subscribers(layer, group) == 1
    assert relay.rooms_here() == [team.project.pk]

    client_id = await send(sockets[0], "to all six")
    for communicator in sockets:
        frame = await next_of(communicator, "message.new")
        assert frame["message"]["client_id"] == client_id

    await _close_all(sockets)
    assert _subscribers(layer, group) == 0
    assert relay.rooms_here() == []


async def test_a_room_costs_redis_two_subscriptions_per_process_not_one_per_socket(
    team, cookies, settings
):
    redis_url()
    import redis.asyncio

    layer = get_channel_layer()
    assert hasattr(layer, "prefix"), "the Redis pub/sub layer runs when REDIS_URL is set"
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)

    async def subscribed():
        return len(await client.pubsub_channels(f"{layer.prefix}*"))

    try:
        before = await subscribed()
        sockets = []
        for name in ("coordinator", "member") * 5:
            communicator, _ = await join(team.project.pk, cookies[name])
            sockets.append(communicator)
        # The process's channel for the room and the room's group: not 10 more.
        assert await subscribed() == before + 2
        await _close_all(sockets)
        async with asyncio.timeout(5):
            while await subscribed() != before:
                await asyncio.sleep(0.05)
    finally:
        await client.aclose()


async def _held(project_id, count):
    """Wait until the joining socket holds ``count`` frames (over Redis they arrive a
    moment after they are published), or has overflowed."""
    room = relay._loop_rooms()[project_id]
    async with asyncio.timeout(5):
        while not any(
            member.relay_overflow or len(member.relay_pending or ()) >= count
            for member in room.members
        ):
            await asyncio.sleep(0.01)


def _while_joining(monkeypatch, action):
    """Run ``action(project_id)`` during a join: after the access check and the read of the
    room's state, before the ``hello``."""
    join_presence = presence.join

    async def joining(project_id, user, socket_id):
        await action(project_id)
        return await join_presence(project_id, user, socket_id)

    monkeypatch.setattr(presence, "join", joining)


async def test_a_message_stored_while_joining_comes_right_after_the_hello(
    team, cookies, monkeypatch
):
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    stored = []

    async def another_message(project_id):
        if stored:
            return
        message, _ = await runtime.db(services.message_send)(
            project_id=project_id, author=team.coordinator, body="meanwhile", client_id="mw"
        )
        stored.append(message.seq)
        frame = events.message_new(events.message_dict(message, team.coordinator))
        await get_channel_layer().group_send(
            events.group_name(project_id), events.layer_frame(frame)
        )
        await _held(project_id, 1)

    _while_joining(monkeypatch, another_message)
    member, hello = await join(team.project.pk, cookies["member"])
    assert stored == [hello["last_seq"] + 1]  # stored after the state the hello carries
    frame = await next_of(member, "message.new")
    assert frame["message"]["seq"] == stored[0]
    assert frame["message"]["body"] == "meanwhile"
    await _close_all([coordinator, member])


async def test_a_revocation_while_joining_is_acted_on_after_the_hello(team, cookies, monkeypatch):
    async def revoke(project_id):
        await get_channel_layer().group_send(
            events.group_name(project_id), events.layer_revoke([team.member.pk])
        )
        room = relay._loop_rooms()[project_id]
        async with asyncio.timeout(5):  # over Redis it arrives a moment later
            while not any(member.relay_revoked for member in room.members):
                await asyncio.sleep(0.01)

    _while_joining(monkeypatch, revoke)
    member, _hello = await join(team.project.pk, cookies["member"])
    error = await next_of(member, "error")
    assert error["code"] == "forbidden"
    assert await close_code(member) == 4403
    await member.disconnect()
    assert relay.rooms_here() == []


async def test_a_revocation_closes_only_the_people_it_names(team, cookies):
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    member, _ = await join(team.project.pk, cookies["member"])
    await get_channel_layer().group_send(
        events.group_name(team.project.pk), events.layer_revoke([team.member.pk])
    )
    assert (await next_of(member, "error"))["code"] == "forbidden"
    assert await close_code(member) == 4403
    client_id = await send(coordinator, "still here")
    assert (await next_of(coordinator, "message.new"))["message"]["client_id"] == client_id
    await coordinator.disconnect()


async def test_a_socket_that_falls_too_far_behind_while_joining_reconnects(
    team, cookies, monkeypatch
):
    monkeypatch.setattr(relay, "PENDING_MAX", 3)
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])

    async def flood(project_id):
        for index in range(5):
            frame = events.typing(events.user_dict(team.coordinator)) | {"n": index}
            await get_channel_layer().group_send(
                events.group_name(project_id), events.layer_frame(frame)
            )
        await _held(project_id, 4)

    _while_joining(monkeypatch, flood)
    member, _hello = await join(team.project.pk, cookies["member"])
    error = await next_of(member, "error")
    assert error["code"] == "unavailable"
    assert await close_code(member) == 1000
    await coordinator.disconnect()


async def test_a_bad_event_does_not_stop_the_room(team, cookies):
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    member, _ = await join(team.project.pk, cookies["member"])
    layer = get_channel_layer()
    await layer.group_send(events.group_name(team.project.pk), {"type": "chat.frame"})
    await layer.group_send(events.group_name(team.project.pk), {"type": "chat.unknown"})
    client_id = await send(coordinator, "after the bad ones")
    for communicator in (coordinator, member):
        frame = await next_of(communicator, "message.new")
        assert frame["message"]["client_id"] == client_id
    await _close_all([coordinator, member])
