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

    async def joining(project_id, user, socket_id, **kwargs):
        await action(project_id)
        return await join_presence(project_id, user, socket_id, **kwargs)

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


# --- the hello's messages, read once for people joining together --------------------------


def _count_reads(monkeypatch):
    from chat import selectors

    reads = []
    latest = selectors.message_latest

    def counted(**kwargs):
        reads.append(kwargs["project_id"])
        return latest(**kwargs)

    monkeypatch.setattr(selectors, "message_latest", counted)
    return reads


@pytest.fixture
def seeded(team):
    from tests.chat.conftest import seed_messages

    seed_messages(team.project, team.coordinator, 3)
    return team


async def test_people_joining_together_share_one_read_of_the_latest_messages(
    seeded, cookies, monkeypatch
):
    reads = _count_reads(monkeypatch)
    coordinator, first = await join(seeded.project.pk, cookies["coordinator"])
    member, second = await join(seeded.project.pk, cookies["member"])
    assert reads == [seeded.project.pk]
    assert second["messages"] == first["messages"]
    assert [m["body"] for m in second["messages"]] == ["m 1", "m 2", "m 3"]
    assert second["user"]["id"] == seeded.member.pk  # the rest of the hello is the joiner's
    await _close_all([coordinator, member])


async def test_an_edit_is_in_the_next_hello(seeded, cookies, monkeypatch):
    reads = _count_reads(monkeypatch)
    coordinator, _ = await join(seeded.project.pk, cookies["coordinator"])
    await coordinator.send_json_to({"type": "message.edit", "seq": 2, "body": "m 2, better"})
    updated = await next_of(coordinator, "message.updated")
    assert updated["message"]["body"] == "m 2, better"
    member, hello = await join(seeded.project.pk, cookies["member"])
    assert [m["body"] for m in hello["messages"]] == ["m 1", "m 2, better", "m 3"]
    assert len(reads) == 2
    await _close_all([coordinator, member])


async def test_a_new_message_is_in_the_next_hello(seeded, cookies):
    coordinator, _ = await join(seeded.project.pk, cookies["coordinator"])
    await send(coordinator, "m 4")
    await next_of(coordinator, "message.new")
    member, hello = await join(seeded.project.pk, cookies["member"])
    assert hello["last_seq"] == 4
    assert [m["body"] for m in hello["messages"]][-1] == "m 4"
    await _close_all([coordinator, member])


async def test_nothing_is_kept_when_the_setting_says_so(seeded, cookies, monkeypatch, settings):
    settings.CHAT_HELLO_KEEP_SECONDS = 0
    reads = _count_reads(monkeypatch)
    first, _ = await join(seeded.project.pk, cookies["coordinator"])
    second, _ = await join(seeded.project.pk, cookies["member"])
    assert len(reads) == 2
    await _close_all([first, second])


def test_the_hello_with_encoded_messages_is_the_hello_encoded():
    import json

    fields = {
        "project": {"id": 7, "title": 'Café "Nou"'},
        "user": {"id": 3, "username": "marta", "name": "Marta Puig"},
        "last_seq": 2,
        "read_seq": 1,
        "online": [{"id": 3, "username": "marta", "name": "Marta Puig"}],
    }
    online = fields.pop("online")
    messages = [{"seq": 1, "body": "hola, què tal?"}, {"seq": 2, "body": "}"}]
    text = events.hello_text(
        online_text=json.dumps(online), messages_text=events.encode(messages), **fields
    )
    # The presence store keeps each person as json.dumps made it: the same JSON value.
    assert json.loads(text) == events.hello(online=online, messages=messages, **fields)
    text = events.hello_text(
        online_text=events.encode(online), messages_text=events.encode(messages), **fields
    )
    assert text == events.encode(events.hello(online=online, messages=messages, **fields))
    assert json.loads(events.presence_text(json.dumps(online))) == events.presence(online)


async def test_a_storm_of_joins_reads_the_latest_messages_once(seeded, cookies, monkeypatch):
    """Joins that start together wait for the first one's read instead of each reading."""
    reads = _count_reads(monkeypatch)
    sockets = await asyncio.gather(
        *(join(seeded.project.pk, cookies[name]) for name in ("coordinator", "member") * 4)
    )
    assert reads == [seeded.project.pk]
    assert {len(hello["messages"]) for _socket, hello in sockets} == {3}
    await _close_all([socket for socket, _hello in sockets])
