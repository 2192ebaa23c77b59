"""Hypothesis fuzzing of chat frames through the real ASGI application (session cookie, Origin).

For every frame type of CHAT_PROTOCOL.md, fields of any JSON type and size (and frames that are
not JSON objects at all, or over 16 KiB): the consumer never crashes, the socket stays open,
a frame the protocol refuses gets an ``error`` frame with one of the protocol's codes, and a
refused frame changes nothing in the database.

Each example opens its own socket, sends the fuzzed frame, then a sentinel the server must
refuse with a known ``ref``: every frame before the sentinel's error answers the fuzzed one,
and the sentinel's answer proves the socket is still open.
"""

import asyncio
import json
import uuid

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from chat.consumers import FRAME_MAX_BYTES
from chat.models import Message, ReadMarker
from chat.services import BODY_MAX, CLIENT_ID_MAX, message_send
from tests.chat.conftest import session_cookie
from tests.chat.helpers import open_socket
from tests.factories import UserFactory
from tests.hypothesis_profiles import examples
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db(transaction=True)

FUZZ = hypothesis_settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CODES = {"invalid", "too_long", "empty", "rate_limited", "forbidden", "not_found", "unavailable"}
FIELDS = {
    "message.send": ("body", "client_id"),
    "message.edit": ("seq", "body"),
    "message.delete": ("seq",),
    "history": ("before", "limit"),
    "sync": ("after",),
    "read": ("seq",),
    "typing": (),
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
plausible = {
    "body": st.text(min_size=1, max_size=50) | st.text(min_size=3990, max_size=4100),
    "client_id": st.text(min_size=1, max_size=70),
    "seq": st.integers(min_value=-1, max_value=4),
    "before": st.integers(min_value=-1, max_value=4),
    "limit": st.integers(min_value=-1, max_value=120),
    "after": st.integers(min_value=-1, max_value=4),
}


@st.composite
def frames(draw, frame_type):
    """A frame of ``frame_type`` whose fields are plausible, of any JSON type, missing, or huge;
    sometimes with extra fields, sometimes padded over the size limit."""
    frame = {"type": frame_type}
    for name in FIELDS[frame_type]:
        choice = draw(st.sampled_from(["plausible", "any", "missing"]))
        if choice == "plausible":
            frame[name] = draw(plausible[name])
        elif choice == "any":
            frame[name] = draw(json_values)
    frame.update(draw(st.dictionaries(st.sampled_from(["x", "ref", "id", "seq"]), json_values)))
    frame["type"] = frame_type
    if draw(st.integers(0, 9)) == 0:
        frame["padding"] = "x" * FRAME_MAX_BYTES
    return json.dumps(frame)


not_objects = st.one_of(
    json_values.filter(lambda v: not isinstance(v, dict)).map(json.dumps),
    st.text(min_size=1, max_size=100),  # mostly not JSON at all
    st.binary(min_size=1, max_size=100),  # a binary frame
    st.dictionaries(st.text(max_size=8), json_values).map(json.dumps),  # no or unknown type
)


def _is_int(value, minimum, maximum=None):
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= minimum
        and (maximum is None or value <= maximum)
    )


def _is_body(value):
    return isinstance(value, str) and 0 < len(value.replace("\x00", "").strip()) <= BODY_MAX


def must_be_refused(raw):
    """What the protocol says about a frame on its own: True when it has to be refused."""
    if isinstance(raw, bytes) or len(raw.encode("utf-8")) > FRAME_MAX_BYTES:
        return True
    try:
        frame = json.loads(raw)
    except ValueError:
        return True
    if not isinstance(frame, dict) or frame.get("type") not in FIELDS:
        return True
    kind = frame["type"]
    if kind == "message.send":
        client_id = frame.get("client_id")
        return not (
            _is_body(frame.get("body"))
            and isinstance(client_id, str)
            and 0 < len(client_id) <= CLIENT_ID_MAX
        )
    if kind == "message.edit":
        return not (_is_int(frame.get("seq"), 1) and _is_body(frame.get("body")))
    if kind == "message.delete":
        return not _is_int(frame.get("seq"), 1)
    if kind == "history":
        return not (
            _is_int(frame.get("before"), 1) and _is_int(frame.get("limit", 50), 1, maximum=100)
        )
    if kind == "sync":
        return not _is_int(frame.get("after"), 0)
    if kind == "read":
        return not _is_int(frame.get("seq"), 0)
    return False


def snapshot():
    return (
        list(
            Message.objects.order_by("pk").values_list(
                "pk", "seq", "body", "edited_at", "deleted_at"
            )
        ),
        list(ReadMarker.objects.order_by("pk").values_list("pk", "user_id", "seq")),
    )


@pytest.fixture
def room(transactional_db, settings):
    """A project whose team has a member (who fuzzes) and a coordinator with two messages."""
    settings.CHAT_RATE_LIMIT_COUNT = 1_000_000
    coordinator = UserFactory(username="fz_clara")
    project, _partner, member = project_with_partner_on_team(
        coordinator=coordinator, member=UserFactory(username="fz_marta")
    )
    for n in (1, 2):
        message_send(project_id=project.pk, author=coordinator, body=f"hi {n}", client_id=f"c{n}")
    message_send(project_id=project.pk, author=member, body="mine", client_id="m1")
    # One event loop for every example, as a browser's socket would have: the consumer's
    # worker threads (and their pooled database connections) are reused, not leaked.
    loop = asyncio.new_event_loop()
    yield project, session_cookie(member), loop
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()
    from django.db import connection

    if hasattr(connection, "close_pool"):
        connection.close_pool()


async def _exchange(project_id, cookie, raw):
    """Send ``raw`` then the sentinel; return the frames that answered ``raw``."""
    communicator, connected = await open_socket(project_id, cookie)
    assert connected
    try:
        hello = await communicator.receive_json_from(timeout=10)
        assert hello["type"] == "hello"
        if isinstance(raw, bytes):
            await communicator.send_to(bytes_data=raw)
        else:
            await communicator.send_to(text_data=raw)
        sentinel = f"sentinel-{uuid.uuid4().hex}"
        await communicator.send_json_to(
            {"type": "message.send", "body": " ", "client_id": sentinel}
        )
        answers = []
        while True:
            output = await communicator.receive_output(timeout=10)
            assert output["type"] == "websocket.send", f"socket closed: {output}"
            frame = json.loads(output["text"])
            if frame["type"] == "error" and frame.get("ref") == sentinel:
                assert frame["code"] == "empty"
                return answers
            answers.append(frame)
    finally:
        await communicator.disconnect()


def check(room, raw):
    project, cookie, loop = room
    before = snapshot()
    answers = loop.run_until_complete(_exchange(project.pk, cookie, raw))
    errors = [frame for frame in answers if frame["type"] == "error"]
    for error in errors:
        assert error["code"] in CODES, error
        assert isinstance(error["detail"], str) and error["detail"]
    refused = must_be_refused(raw)
    event("refused" if errors else "accepted")
    if refused:
        assert errors, f"no error for a frame the protocol refuses: {raw[:300]!r}"
    if errors:
        assert snapshot() == before, f"a refused frame changed something: {raw[:300]!r}"


@pytest.mark.parametrize("frame_type", sorted(FIELDS))
def test_every_frame_type_survives_fuzzing(room, frame_type):
    @FUZZ
    @given(raw=frames(frame_type))
    def fuzz(raw):
        check(room, raw)

    fuzz()


@FUZZ
@given(raw=not_objects)
def test_frames_that_are_not_protocol_objects_are_refused(room, raw):
    check(room, raw)
