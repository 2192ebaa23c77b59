"""Property tests of reading client frames (issue 18, finding 2), under a derandomized
Hypothesis profile: the same examples on every run, each crash the review found pinned with
``@example``.

``chat.frames.parse`` is total: for any text it returns a frame whose fields have the
protocol's types and ranges, or raises ``FrameError``, never anything else; a ``ref`` it
echoes can always be encoded. The crash examples also go through a real consumer: each is
answered with ``error`` and the socket stays open.
"""

import json
import uuid

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from chat import events, frames
from chat.frames import FRAME_MAX_BYTES, SEQ_MAX, FrameError

hypothesis_settings.register_profile(
    "chat-derandomized",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
DERANDOMIZED = hypothesis_settings.get_profile("chat-derandomized")

# What crashed a consumer on main (review of issue 18, finding 2), and what was found since.
CRASHES = [
    json.dumps({"type": []}),  # unhashable: TypeError in the dispatch table lookup
    json.dumps({"type": {}}),
    "[" * 2000,  # RecursionError in json
    '{"type": "typing", "x": ' + "[" * 3000 + "]" * 3000 + "}",
    json.dumps({"type": "message.send", "client_id": "c1", "body": "hola \ud800"}),  # psycopg
    json.dumps({"type": "message.send", "client_id": "\udfff", "body": ""}),  # echoed as ref
    json.dumps({"type": "message.edit", "seq": 1, "body": "\ud83d"}),
    json.dumps({"type": "message.send", "client_id": "id\x00", "body": "hola"}),  # NUL stored
    json.dumps({"type": "message.edit", "seq": 2**64, "body": "x"}),  # beyond bigint
    json.dumps({"type": "message.delete", "seq": 10**30}),
    json.dumps({"type": "history", "before": 2**63, "limit": 5}),
    json.dumps({"type": "sync", "after": 2**70}),
    json.dumps({"type": "read", "seq": 2**64}),
    '{"type": "sync", "after": ' + "9" * 4400 + "}",  # too many digits for int()
    "\ud800",  # raw lone surrogate in the text
    "é" * 9000,  # under 16 Ki characters, over 16 KiB
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=10,
)
field_names = st.sampled_from(
    ["type", "body", "client_id", "seq", "before", "limit", "after", "x"]
)
frame_objects = st.dictionaries(field_names, json_values, max_size=5).flatmap(
    lambda base: (
        st.sampled_from([*frames.READERS, "x"]).map(lambda t: {**base, "type": t}) | st.just(base)
    )
)
raw_frames = (
    frame_objects.map(json.dumps)
    | frame_objects.map(lambda f: json.dumps(f, ensure_ascii=False))
    | st.text(max_size=200)
)


def _check_parse(raw):
    try:
        frame = frames.parse(raw)
    except FrameError as refused:
        assert refused.code == "invalid"
        assert str(refused.detail)
        if refused.ref is not None:
            events.encode(events.error("invalid", "x", refused.ref)).encode("utf-8")
        return
    assert frame.type in frames.READERS
    for name, value in frame.fields.items():
        if name in ("body", "client_id"):
            assert isinstance(value, str)
            value.encode("utf-8")  # storable: no lone surrogate
        else:
            assert isinstance(value, int) and not isinstance(value, bool)
            assert 0 <= value <= SEQ_MAX
    if frame.type == "history":
        assert 1 <= frame.fields["limit"] <= frames.HISTORY_MAX
    assert len(raw.encode("utf-8", "surrogatepass")) <= FRAME_MAX_BYTES


@pytest.mark.parametrize("raw", CRASHES)
def test_each_crash_is_refused_by_parse_or_clean_body(raw):
    from chat.services import ChatError, clean_body

    with pytest.raises((FrameError, ChatError)):
        frame = frames.parse(raw)
        clean_body(frame.fields.get("body", "x"))


@DERANDOMIZED
@given(raw=raw_frames)
@example(raw=CRASHES[0])
@example(raw=CRASHES[1])
@example(raw=CRASHES[2])
@example(raw=CRASHES[3])
@example(raw=CRASHES[4])
@example(raw=CRASHES[5])
@example(raw=CRASHES[6])
@example(raw=CRASHES[7])
@example(raw=CRASHES[8])
@example(raw=CRASHES[9])
@example(raw=CRASHES[10])
@example(raw=CRASHES[11])
@example(raw=CRASHES[12])
@example(raw=CRASHES[13])
@example(raw=CRASHES[14])
@example(raw=CRASHES[15])
def test_parse_is_total(raw):
    _check_parse(raw)


@DERANDOMIZED
@given(value=json_values)
def test_ref_is_always_encodable(value):
    for key in ("client_id", "seq"):
        ref = frames.ref_of({key: value})
        if ref is not None:
            events.encode(events.error("invalid", "x", ref)).encode("utf-8")


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
async def test_each_crash_gets_an_error_and_the_socket_stays_open(team, cookies):
    from channels.db import database_sync_to_async

    from chat.models import Message
    from tests.chat.helpers import join, next_of

    member, _ = await join(team.project.pk, cookies["member"])
    for raw in CRASHES:
        await member.send_input({"type": "websocket.receive", "text": raw})
        error = await next_of(member, "error")
        assert error["code"] in {"invalid", "empty", "too_long"}, (raw[:80], error)
    client_id = uuid.uuid4().hex
    await member.send_json_to(
        {"type": "message.send", "body": "still here", "client_id": client_id}
    )
    message = (await next_of(member, "message.new"))["message"]
    assert (message["seq"], message["client_id"]) == (1, client_id)
    assert await database_sync_to_async(Message.objects.count)() == 1
    await member.disconnect()
