"""Issue 18, finding 2: the fuzz corpus (tests/chat/fuzz_corpus.py, 10,206 malformed frames of
every kind the review sent, plus binary frames) against a real consumer, through the ASGI
application and the configured channel layer.

Every frame is answered with exactly one ``error`` of the protocol's codes, no socket is
closed (0 crashes), no row changes (0 rows wrongly stored), and the log stays quiet.
"""

import json
import logging
import uuid

import pytest
from channels.db import database_sync_to_async

from chat.models import ChatRoom, Mention, Message, ReadMarker
from notifications.models import Notification
from tests.chat.conftest import seed_messages
from tests.chat.fuzz_corpus import BINARY, SIZE, corpus
from tests.chat.helpers import join

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CODES = {"invalid", "too_long", "empty", "rate_limited", "forbidden", "not_found", "unavailable"}
BATCH = 50


def snapshot():
    return (
        list(Message.objects.order_by("pk").values_list()),
        list(ReadMarker.objects.order_by("pk").values_list("pk", "user_id", "seq")),
        list(Mention.objects.order_by("pk").values_list()),
        list(ChatRoom.objects.order_by("pk").values_list()),
        Notification.objects.count(),
    )


async def _send(communicator, raw):
    # As the ASGI server hands frames over (empty ones included).
    key = "bytes" if isinstance(raw, bytes) else "text"
    await communicator.send_input({"type": "websocket.receive", key: raw})


async def _answers(communicator, batch):
    """Send ``batch`` and a sentinel; the frames answering the batch, or None if the socket
    was closed."""
    for raw in batch:
        await _send(communicator, raw)
    sentinel = f"sentinel-{uuid.uuid4().hex}"
    await communicator.send_json_to({"type": "message.send", "body": " ", "client_id": sentinel})
    answers = []
    while True:
        output = await communicator.receive_output(timeout=30)
        if output["type"] == "websocket.close":
            return None
        frame = json.loads(output["text"])
        if frame["type"] == "error" and frame.get("ref") == sentinel:
            return answers
        if frame["type"] != "presence":
            answers.append(frame)


async def test_fuzz_corpus_crashes_nothing_and_stores_nothing(team, cookies, settings, caplog):
    settings.CHAT_RATE_LIMIT_COUNT = 10**6
    await database_sync_to_async(seed_messages)(team.project, team.member, 3)
    before = await database_sync_to_async(snapshot)()
    frames = [*corpus(), *BINARY]
    assert len(frames) == SIZE + len(BINARY)

    caplog.set_level(logging.WARNING)
    member, _hello = await join(team.project.pk, cookies["member"])
    crashes, wrong = 0, []
    codes = {}
    for start in range(0, len(frames), BATCH):
        batch = frames[start : start + BATCH]
        answers = await _answers(member, batch)
        if answers is None:
            crashes += 1
            member, _hello = await join(team.project.pk, cookies["member"])
            continue
        errors = [frame for frame in answers if frame["type"] == "error"]
        for error in errors:
            codes[error["code"]] = codes.get(error["code"], 0) + 1
            if error["code"] not in CODES or not error.get("detail"):
                wrong.append(error)
        if len(errors) != len(batch) or len(answers) != len(errors):
            wrong.append((start, [frame.get("code", frame["type"]) for frame in answers]))
    assert crashes == 0, f"{crashes} batches closed the socket"
    assert not wrong, wrong[:5]
    assert sum(codes.values()) == len(frames)
    assert codes["invalid"] > 9000 and codes["empty"] and codes["too_long"], codes

    # The socket still works, nothing was stored or changed.
    await member.send_json_to({"type": "sync", "after": 0})
    answer = await member.receive_json_from(timeout=10)
    while answer["type"] != "messages":
        answer = await member.receive_json_from(timeout=10)
    assert [m["seq"] for m in answer["messages"]] == [1, 2, 3]
    await member.disconnect()
    assert await database_sync_to_async(snapshot)() == before

    # No log flooding: refused frames are not logged at all.
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(noisy) <= 3, [r.getMessage()[:200] for r in noisy[:5]]
