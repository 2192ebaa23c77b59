"""Every client frame, its permitted and denied sides, and every error code."""

import json

import pytest
from channels.db import database_sync_to_async

from chat.models import Message, ReadMarker
from tests.chat.conftest import seed_messages
from tests.chat.helpers import join, next_of, send

pytestmark = pytest.mark.django_db(transaction=True)


def db(fn, *args, **kwargs):
    return database_sync_to_async(fn)(*args, **kwargs)


async def expect_error(communicator, code, ref=None):
    frame = await next_of(communicator, "error")
    assert frame["code"] == code, frame
    assert frame["detail"]
    if ref is not None:
        assert frame["ref"] == ref
    return frame


async def test_send_reaches_everyone_after_commit(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    client_id = await send(member, "Hola equip")
    for communicator in (member, coordinator):
        frame = await next_of(communicator, "message.new")
        message = frame["message"]
        assert message["seq"] == 1 and message["body"] == "Hola equip"
        assert message["client_id"] == client_id
        assert message["author"]["username"] == "marta"
        assert message["deleted"] is False and message["edited_at"] is None
        assert message["created_at"].endswith("Z")
    stored = await db(lambda: list(Message.objects.values_list("seq", "body")))
    assert stored == [(1, "Hola equip")]
    await send(coordinator, "Benvinguda")
    assert (await next_of(member, "message.new"))["message"]["seq"] == 2


async def test_same_client_id_posts_once(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    client_id = await send(member, "once")
    first = await next_of(member, "message.new")
    await next_of(coordinator, "message.new")
    await send(member, "once", client_id=client_id)
    again = await next_of(member, "message.new")
    assert again["message"]["seq"] == first["message"]["seq"]
    assert await db(Message.objects.count) == 1
    # The room was told once: the next thing the coordinator sees is the next message.
    await send(member, "next")
    assert (await next_of(coordinator, "message.new"))["message"]["body"] == "next"


MALFORMED = [
    "not json",
    json.dumps([1, 2]),
    json.dumps({"type": "shout"}),
    json.dumps({"body": "no type"}),
    json.dumps({"type": "message.send", "body": "no client id"}),
    json.dumps({"type": "message.send", "client_id": "x" * 65, "body": "long id"}),
    json.dumps({"type": "message.send", "client_id": "c1"}),
    json.dumps({"type": "message.send", "client_id": "c1", "body": 5}),
    json.dumps({"type": "message.edit", "body": "no seq"}),
    json.dumps({"type": "message.delete", "seq": "1"}),
    json.dumps({"type": "history", "before": 10, "limit": 101}),
    json.dumps({"type": "history", "limit": 10}),
    json.dumps({"type": "sync", "after": -1}),
    json.dumps({"type": "sync", "after": True}),
    json.dumps({"type": "read", "seq": "3"}),
    json.dumps({"type": "message.send", "client_id": "c1", "body": "x" * (16 * 1024)}),
]


async def test_malformed_frames_are_invalid_and_change_nothing(team, cookies, subtests):
    """Each is answered ``invalid`` and stores nothing; the connection stays usable."""
    member, _ = await join(team.project.pk, cookies["member"])
    for frame in MALFORMED:
        with subtests.test(frame=frame[:80]):
            await member.send_to(text_data=frame)
            await expect_error(member, "invalid")
            assert await db(Message.objects.count) == 0
    await send(member, "still fine")
    assert (await next_of(member, "message.new"))["message"]["seq"] == 1


async def test_binary_frame_is_invalid(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    await member.send_to(bytes_data=b'{"type": "typing"}')
    await expect_error(member, "invalid")


async def test_too_long_and_empty_bodies(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    client_id = await send(member, "x" * 4001)
    await expect_error(member, "too_long", ref=client_id)
    client_id = await send(member, "  \n ")
    await expect_error(member, "empty", ref=client_id)
    assert await db(Message.objects.count) == 0
    await send(member, "x" * 4000)
    assert len((await next_of(member, "message.new"))["message"]["body"]) == 4000


async def test_rate_limit(team, cookies, settings):
    settings.CHAT_RATE_LIMIT_COUNT = 3
    settings.CHAT_RATE_LIMIT_SECONDS = 60
    member, _ = await join(team.project.pk, cookies["member"])
    for index in range(3):
        await send(member, f"m{index}")
        await next_of(member, "message.new")
    client_id = await send(member, "one too many")
    await expect_error(member, "rate_limited", ref=client_id)
    assert await db(Message.objects.count) == 3
    # Another person has a budget of their own.
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await send(coordinator, "mine")
    assert (await next_of(coordinator, "message.new"))["message"]["seq"] == 4


async def test_edit_own_message_permitted(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await send(member, "typo")
    await next_of(member, "message.new")
    await member.send_json_to({"type": "message.edit", "seq": 1, "body": "fixed"})
    for communicator in (member, coordinator):
        message = (await next_of(communicator, "message.updated"))["message"]
        assert message["seq"] == 1 and message["body"] == "fixed" and message["edited_at"]
    assert await db(lambda: Message.objects.get(seq=1).body) == "fixed"


async def test_edit_denied_for_others_late_and_missing(team, cookies, settings):
    member, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await send(member, "mine")
    await next_of(coordinator, "message.new")
    await coordinator.send_json_to({"type": "message.edit", "seq": 1, "body": "theirs now"})
    await expect_error(coordinator, "forbidden", ref=1)
    await coordinator.send_json_to({"type": "message.edit", "seq": 9, "body": "nothing"})
    await expect_error(coordinator, "not_found", ref=9)
    settings.CHAT_EDIT_WINDOW_SECONDS = 0
    await member.send_json_to({"type": "message.edit", "seq": 1, "body": "too late"})
    await expect_error(member, "forbidden", ref=1)
    assert await db(lambda: Message.objects.get(seq=1).body) == "mine"


async def test_delete_own_and_coordinator_deletes_any(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    for author, body in ((member, "one"), (coordinator, "two"), (member, "three")):
        await send(author, body)
        await next_of(member, "message.new")
    # A member cannot delete the coordinator's message…
    await member.send_json_to({"type": "message.delete", "seq": 2})
    await expect_error(member, "forbidden", ref=2)
    # …but their own, and the coordinator anyone's.
    await member.send_json_to({"type": "message.delete", "seq": 1})
    deleted = (await next_of(coordinator, "message.updated"))["message"]
    assert deleted == {**deleted, "seq": 1, "body": "", "deleted": True}
    assert (await next_of(member, "message.updated"))["message"]["seq"] == 1
    await coordinator.send_json_to({"type": "message.delete", "seq": 3})
    updated = (await next_of(member, "message.updated"))["message"]
    assert (updated["seq"], updated["deleted"]) == (3, True)
    await member.send_json_to({"type": "message.delete", "seq": 1})
    await expect_error(member, "not_found", ref=1)
    rows = await db(lambda: list(Message.objects.values_list("seq", "body", "deleted_at")))
    assert [(seq, body, bool(gone)) for seq, body, gone in rows] == [
        (1, "", True),
        (2, "two", False),
        (3, "", True),
    ]


async def test_hello_history_and_sync_boundaries(team, cookies):
    await db(seed_messages, team.project, team.coordinator, 120)
    member, hello = await join(team.project.pk, cookies["member"])
    assert hello["last_seq"] == 120
    assert [m["seq"] for m in hello["messages"]] == list(range(71, 121))

    async def ask(frame):
        await member.send_json_to(frame)
        answer = await next_of(member, "messages")
        return [m["seq"] for m in answer["messages"]], answer["has_more"]

    assert await ask({"type": "history", "before": 71, "limit": 50}) == (list(range(21, 71)), True)
    assert await ask({"type": "history", "before": 21, "limit": 50}) == (list(range(1, 21)), False)
    assert await ask({"type": "history", "before": 51, "limit": 50}) == (list(range(1, 51)), False)
    assert await ask({"type": "history", "before": 1, "limit": 50}) == ([], False)
    assert await ask({"type": "history", "before": 121, "limit": 100}) == (
        list(range(21, 121)),
        True,
    )
    assert await ask({"type": "sync", "after": 0}) == (list(range(1, 101)), True)
    assert await ask({"type": "sync", "after": 100}) == (list(range(101, 121)), False)
    assert await ask({"type": "sync", "after": 120}) == ([], False)
    assert await ask({"type": "sync", "after": 500}) == ([], False)


async def test_read_marker_only_moves_forward(team, cookies):
    await db(seed_messages, team.project, team.coordinator, 12)
    member, hello = await join(team.project.pk, cookies["member"])
    assert hello["read_seq"] == 0

    def marker():
        return ReadMarker.objects.get(user=team.member, project=team.project).seq

    await member.send_json_to({"type": "read", "seq": 10})
    await member.send_json_to({"type": "read", "seq": 4})
    await member.send_json_to({"type": "sync", "after": 12})  # answered after both reads
    await next_of(member, "messages")
    assert await db(marker) == 10
    await member.send_json_to({"type": "read", "seq": 999})
    await member.send_json_to({"type": "sync", "after": 12})
    await next_of(member, "messages")
    assert await db(marker) == 12  # never past the last message
    await member.disconnect()
    _again, hello = await join(team.project.pk, cookies["member"])
    assert hello["read_seq"] == 12


async def test_typing_reaches_others_throttled_not_echoed(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await member.send_json_to({"type": "typing"})
    await member.send_json_to({"type": "typing"})  # within the throttle interval
    frame = await next_of(coordinator, "typing")
    assert frame["user"]["id"] == team.member.pk
    await send(member, "done typing")
    await next_of(coordinator, "message.new")
    seen = []
    while not await member.receive_nothing(timeout=0.3):
        seen.append((await member.receive_json_from())["type"])
    assert "typing" not in seen
    # The throttled second typing frame never reached the coordinator (a presence frame may
    # still arrive: they are coalesced per room).
    seen = []
    while not await coordinator.receive_nothing(timeout=0.3):
        seen.append((await coordinator.receive_json_from())["type"])
    assert "typing" not in seen


async def test_presence_changes_are_announced(team, cookies):
    coordinator, hello = await join(team.project.pk, cookies["coordinator"])
    assert [u["id"] for u in hello["online"]] == [team.coordinator.pk]
    member, hello = await join(team.project.pk, cookies["member"])
    assert sorted(u["id"] for u in hello["online"]) == sorted(
        [team.coordinator.pk, team.member.pk]
    )
    frame = await next_of(coordinator, "presence")
    while len(frame["online"]) != 2:
        frame = await next_of(coordinator, "presence")
    await member.disconnect()
    frame = await next_of(coordinator, "presence")
    assert [u["id"] for u in frame["online"]] == [team.coordinator.pk]


async def test_superuser_may_chat_editor_may_not(team):
    from tests.chat.conftest import session_cookie
    from tests.chat.helpers import close_code, open_socket
    from tests.factories import UserFactory
    from tests.utils import editor

    def users():
        boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
        return session_cookie(boss), session_cookie(editor())

    boss_cookie, editor_cookie = await db(users)
    boss, _ = await join(team.project.pk, boss_cookie)
    await send(boss, "hello from the admin")
    assert (await next_of(boss, "message.new"))["message"]["seq"] == 1
    communicator, _ = await open_socket(team.project.pk, editor_cookie)
    assert await close_code(communicator) == 4403


async def test_concurrent_sends_are_announced_in_seq_order(team, cookies, settings):
    """Sends from several sockets at once are stored in parallel, yet one process announces a
    room's messages in seq order, so no client sees a gap it would have to sync."""
    settings.CHAT_RATE_LIMIT_COUNT = 1000
    senders = [(await join(team.project.pk, cookies[name]))[0] for name in ("member",) * 3]
    senders += [(await join(team.project.pk, cookies["coordinator"]))[0] for _ in range(2)]
    listener, _ = await join(team.project.pk, cookies["coordinator"])
    for round_ in range(8):
        for index, communicator in enumerate(senders):
            await send(communicator, f"round {round_} from socket {index}")
    seqs = [(await next_of(listener, "message.new"))["message"]["seq"] for _ in range(40)]
    assert seqs == list(range(1, 41))
    stored = await db(lambda: sorted(Message.objects.values_list("seq", flat=True)))
    assert stored == list(range(1, 41))
    for communicator in [*senders, listener]:
        await communicator.disconnect()


async def test_typing_is_throttled_per_person_across_their_tabs(team, cookies):
    first_tab, _ = await join(team.project.pk, cookies["member"])
    second_tab, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await first_tab.send_json_to({"type": "typing"})
    await second_tab.send_json_to({"type": "typing"})  # same person, within the interval
    await send(first_tab, "sent from the first tab")
    typing = []
    while True:
        frame = await coordinator.receive_json_from(timeout=10)
        if frame["type"] == "message.new":
            break
        if frame["type"] == "typing":
            typing.append(frame["user"]["id"])
    assert typing == [team.member.pk]
