"""A deterministic corpus of malformed chat frames, every one of which the protocol refuses.

The kinds of an outside review's 10,206 fuzzed frames (issue 18, finding 2): wrong JSON types
in every field of every frame type, a wrong or missing ``type``, deep nesting, lone
surrogates (escaped, as a browser sends them, and raw), numbers beyond any column, frames
over 16 KiB, and text that is not JSON or not an object. ``corpus()`` returns the same frames
on every run (a seeded ``random.Random``): the systematic combinations first, then random
combinations of them up to ``SIZE``.

Every frame is refused on its own, before the database is asked anything that could change
it, so a run of the whole corpus against a room must change no row.
"""

import json
import random

from chat.frames import FRAME_MAX_BYTES

SIZE = 10_206
SEED = 18

BIG = [2**63, 2**64, 10**30, -(2**63) - 1]
NOT_INTS = [None, True, False, 1.0, 0.5, "1", "", [], {}, [1], {"seq": 1}, *BIG]
NOT_STRINGS = [None, True, 0, 1, -1, 1.5, [], {}, ["hola"], {"body": "hola"}, 2**64]
SURROGATES = ["\ud800", "a\udfffb", "\udc00" * 10, "ok \ud83d", "\ud83d\ude00\ud800"]
BAD_CLIENT_IDS = [
    *NOT_STRINGS,
    "",
    "x" * 65,
    "é" * 65,
    *SURROGATES,
    "\x00",
    "id\x00",
    "line\nbreak",
    "\t",
    "\u2028",
]
# Bodies refused on their own: wrong type, not valid Unicode, blank, too long.
BAD_BODIES = [*NOT_STRINGS, *SURROGATES, "", "   ", "\n\t ", "\x00\x00", "x" * 4001, "é" * 4001]

# field -> values that make a frame refused, per frame type
WRONG = {
    "message.send": {"client_id": BAD_CLIENT_IDS, "body": BAD_BODIES},
    "message.edit": {"seq": [*NOT_INTS, 0, -1], "body": BAD_BODIES},
    "message.delete": {"seq": [*NOT_INTS, 0, -1]},
    "history": {"before": [*NOT_INTS, 0, -1], "limit": [*NOT_INTS, 0, -1, 101, 10**6]},
    "sync": {"after": [*NOT_INTS, -1]},
    "read": {"seq": [*NOT_INTS, -1]},
}
VALID = {
    "message.send": {"client_id": "fz-ok", "body": "hola"},
    "message.edit": {"seq": 1, "body": "hola"},
    "message.delete": {"seq": 1},
    "history": {"before": 5, "limit": 10},
    "sync": {"after": 0},
    "read": {"seq": 1},
    "typing": {},
}
BAD_TYPES = [
    [],
    {},
    ["typing"],
    {"typing": 1},
    None,
    True,
    0,
    1.5,
    "",
    "TYPING",
    "typing ",
    "message_send",
    "message.Send",
    "\ud800",
    "hello",
    "error",
    "x" * 5000,
]
NOT_OBJECTS = [
    "",
    " ",
    "null",
    "true",
    "0",
    '"typing"',
    "[]",
    '[{"type": "typing"}]',
    "{",
    "}",
    '{"type": "typing"',
    "{'type': 'typing'}",
    '{"type": typing}',
    "NaN",
    "\ud800",
    "\x00",
    "1" * 5000,  # an integer of more digits than Python converts
    '{"type": "sync", "after": ' + "9" * 4400 + "}",
]


def _dump(frame, rng):
    """JSON as a browser would send it (escaped), sometimes raw (lone surrogates included)."""
    return json.dumps(frame, ensure_ascii=rng.random() < 0.8)


def _nested(depth, rng):
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return opener * depth + "1" + closer * depth


def _systematic():
    rng = random.Random(SEED)
    for frame_type, fields in WRONG.items():
        for name, values in fields.items():
            for value in values:
                frame = {"type": frame_type, **VALID[frame_type], name: value}
                yield json.dumps(frame)
                yield json.dumps(frame, ensure_ascii=False)
                missing = {"type": frame_type, **VALID[frame_type]}
                missing.pop(name)
                if frame_type != "history" or name != "limit":  # limit has a default
                    yield json.dumps(missing)
    for value in BAD_TYPES:
        for fields in VALID.values():
            yield json.dumps({**fields, "type": value})
            yield json.dumps({**fields, "type": value}, ensure_ascii=False)
    for frame_type, fields in VALID.items():
        yield json.dumps(fields)  # no type at all
        yield json.dumps([{"type": frame_type, **fields}])
    yield from NOT_OBJECTS
    for depth in (10, 100, 999, 1000, 1001, 2000, 5000, 8000):
        yield "[" * depth
        yield "[" * depth + "]" * depth
        yield '{"a":' * depth + "1" + "}" * depth
        yield '{"type": "read", "seq": "1", "x": ' + "[" * depth + "]" * depth + "}"
        yield '{"type": ' + "[" * depth + "]" * depth + "}"
        yield '{"type": "message.send", "client_id": "n", "body": ' + _nested(depth, rng) + "}"
    for size in (FRAME_MAX_BYTES + 1, FRAME_MAX_BYTES + 100, 64 * 1024, 1024 * 1024):
        padding = "x" * size
        yield json.dumps({"type": "typing", "padding": padding})
        yield json.dumps({"type": "message.send", "client_id": "big", "body": padding})
    # Under 16 Ki characters, over 16 KiB in UTF-8.
    yield json.dumps({"type": "typing", "padding": "é" * 9000}, ensure_ascii=False)
    yield json.dumps({"type": "typing", "padding": "😀" * 4200}, ensure_ascii=False)
    yield json.dumps({"type": "typing", "padding": "\ud800" * 6000}, ensure_ascii=False)


def _random_text(rng, size):
    return "".join(
        chr(rng.choice([rng.randint(32, 126), rng.randint(160, 0x2FFF)])) for _ in range(size)
    )


def _generated(name, rng):
    """A wrong value made up for this frame: numbers out of range, strings of the wrong kind."""
    if name in ("body", "client_id"):
        text = _random_text(rng, rng.randint(0, 40))
        at = rng.randint(0, len(text))
        surrogate = chr(rng.randint(0xD800, 0xDFFF))
        return rng.choice(
            [
                text[:at] + surrogate + text[at:],
                rng.randint(-(2**70), 2**70),
                [text],
                {"text": text},
            ]
        )
    low = {"limit": 101, "after": 2**63}.get(name, 2**63)
    return rng.choice(
        [
            rng.randint(low, 2**80),
            -rng.randint(1, 10**12),
            rng.random() * 10**6,
            str(rng.randint(0, 10**6)),
            _random_text(rng, rng.randint(0, 12)),
            [rng.randint(0, 9)],
        ]
    )


def _mutated(rng):
    """A random frame: a valid one with one to three fields made wrong, some junk added,
    sometimes deep nesting, surrogates or padding on top."""
    frame_type = rng.choice(sorted(WRONG))
    frame = {"type": frame_type, **VALID[frame_type]}
    fields = WRONG[frame_type]
    for name in rng.sample(sorted(fields), rng.randint(1, len(fields))):
        frame[name] = rng.choice(fields[name]) if rng.random() < 0.5 else _generated(name, rng)
    for _ in range(rng.randint(0, 3)):
        key = rng.choice(["x", "ref", "id", "padding", "\ud800", "type2", ""])
        frame[key] = rng.choice([*NOT_INTS, *SURROGATES, "junk", [[[]]], {"a": {"b": []}}])
    if rng.random() < 0.05:
        return rng.choice(
            [_dump(frame, rng)[:-1], _dump(frame, rng) + "}", "[" + _dump(frame, rng)]
        )
    if rng.random() < 0.05:
        frame["padding"] = "y" * rng.randint(FRAME_MAX_BYTES, FRAME_MAX_BYTES + 2000)
    text = _dump(frame, rng)
    if rng.random() < 0.05:
        depth = rng.choice([50, 500, 3000])
        text = text[:-1] + ', "deep": ' + _nested(depth, rng) + "}"
    return text


def corpus(size=SIZE):
    """``size`` distinct refused frames as text, the same on every run."""
    frames = dict.fromkeys(_systematic())
    rng = random.Random(SEED)
    while len(frames) < size:
        frames[_mutated(rng)] = None
    return list(frames)[:size]


BINARY = [b"", b"\x00", b'{"type": "typing"}', bytes(range(256)), b"\xff" * (FRAME_MAX_BYTES + 1)]
