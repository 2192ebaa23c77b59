"""Client frames, read and checked before anything acts on them (CHAT_PROTOCOL.md, "Client →
server").

``parse`` turns whatever a client sent into a ``Frame`` whose fields have the types and ranges
the protocol names, or raises ``FrameError``: never any other exception, whatever the frame
(not text, not JSON, nested thousands deep, keys or values of the wrong JSON type, numbers
beyond any column, strings that are not valid Unicode). The consumer answers a ``FrameError``
with an ``error`` frame and keeps the socket open.

The message body itself is judged by ``services.clean_body`` (``too_long``, ``empty``), the
one rule for every way a message is written; here it only has to be a string.
"""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

FRAME_MAX_BYTES = 16 * 1024
HISTORY_MAX = 100
HISTORY_DEFAULT = 50
CLIENT_ID_MAX = 64
# The largest value a seq column (PositiveBigIntegerField) holds: anything above names no
# message, and would make the database refuse the query instead of finding nothing.
SEQ_MAX = 2**63 - 1


class FrameError(Exception):
    """A frame the protocol refuses: answered with ``error`` (``code``), nothing changed."""

    def __init__(self, code, detail, ref=None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.ref = ref


@dataclass(frozen=True)
class Frame:
    type: str
    fields: dict = field(default_factory=dict)
    ref: object = None


def is_text(value):
    """A string that can be stored and sent: valid Unicode (no lone surrogates)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def valid_client_id(value):
    """1 to 64 printable characters (a UUID, as the browser client sends)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= CLIENT_ID_MAX
        and value.isprintable()
        and is_text(value)
    )


def _valid_int(value, minimum, maximum):
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


def ref_of(content):
    """The offending frame's ``client_id`` or ``seq``, when it can be echoed back safely."""
    if not isinstance(content, dict):
        return None
    ref = content.get("client_id", content.get("seq"))
    if valid_client_id(ref) or _valid_int(ref, 0, SEQ_MAX):
        return ref
    return None


def _wrong(name, ref):
    return FrameError("invalid", _("Field “%(field)s” is wrong.") % {"field": name}, ref)


def _int(content, name, ref, minimum, maximum=SEQ_MAX, default=None):
    value = content.get(name, default)
    if not _valid_int(value, minimum, maximum):
        raise _wrong(name, ref)
    return value


def _body(content, ref):
    body = content.get("body")
    if not isinstance(body, str):
        raise FrameError("invalid", _("The message must be text."), ref)
    if not is_text(body):
        raise FrameError("invalid", _("The message is not valid text."), ref)
    return body


def _send(content, ref):
    if not valid_client_id(content.get("client_id")):
        raise FrameError(
            "invalid", _("Each message needs a client_id of 1 to 64 printable characters."), ref
        )
    return {"client_id": content["client_id"], "body": _body(content, ref)}


def _edit(content, ref):
    return {"seq": _int(content, "seq", ref, 1), "body": _body(content, ref)}


def _delete(content, ref):
    return {"seq": _int(content, "seq", ref, 1)}


def _history(content, ref):
    return {
        "before": _int(content, "before", ref, 1),
        "limit": _int(content, "limit", ref, 1, HISTORY_MAX, default=HISTORY_DEFAULT),
    }


def _sync(content, ref):
    return {"after": _int(content, "after", ref, 0)}


def _read(content, ref):
    return {"seq": _int(content, "seq", ref, 0)}


def _typing(content, ref):
    return {}


READERS = {
    "message.send": _send,
    "message.edit": _edit,
    "message.delete": _delete,
    "history": _history,
    "sync": _sync,
    "read": _read,
    "typing": _typing,
}


def size_ok(text):
    """Whether ``text`` is at most FRAME_MAX_BYTES in UTF-8, without encoding a huge frame."""
    if len(text) > FRAME_MAX_BYTES:
        return False
    # "surrogatepass": a lone surrogate is counted (as three bytes), not an exception.
    return len(text.encode("utf-8", "surrogatepass")) <= FRAME_MAX_BYTES


def decode(text_data):
    """The JSON object of a text frame, or FrameError(invalid)."""
    if not isinstance(text_data, str) or not size_ok(text_data):
        raise FrameError("invalid", _("The frame is too large or not text."))
    try:
        content = json.loads(text_data)
    except (ValueError, RecursionError):
        # ValueError: not JSON (or an integer of thousands of digits); RecursionError: nested
        # deeper than the decoder goes.
        raise FrameError("invalid", _("The frame is not valid JSON.")) from None
    if not isinstance(content, dict):
        raise FrameError("invalid", _("The frame must be a JSON object."))
    return content


def parse(text_data=None, bytes_data=None):
    """A client frame as a ``Frame``, or FrameError. Binary frames are refused."""
    if text_data is None:
        raise FrameError("invalid", _("The frame is too large or not text."))
    content = decode(text_data)
    ref = ref_of(content)
    kind = content.get("type")
    reader = READERS.get(kind) if isinstance(kind, str) else None
    if reader is None:
        raise FrameError("invalid", _("Unknown frame type."), ref)
    return Frame(kind, reader(content, ref), ref)
