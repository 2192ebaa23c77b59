"""One subscription per room and server process, fanned out to the room's sockets here.

A room's frames reach a process once (one channel of the process in the room's group), are
decoded once, and are written to each of the process's sockets in that room in memory: no
channel, queue, task wake-up or decoding per socket and frame, and no Redis ``SUBSCRIBE`` per
socket when people join. The first socket of a room here subscribes; the last one to leave
unsubscribes.

A socket is added to its room before its access check and first reply (``hello``), so a
message stored meanwhile is not missed: until the socket says it is live, its frames wait in
its own short list and are written, in order, right after the ``hello`` (``Member``). A
revocation that arrives meanwhile is kept and acted on once the socket is live, as it would be
had it arrived a moment later.
"""

import asyncio
import logging
import weakref

from django.conf import settings

from . import events, runtime

logger = logging.getLogger("chat")

# Frames a joining socket may hold before its hello; a socket that falls further behind is
# told ``unavailable`` and reconnects (its client then syncs what it missed).
PENDING_MAX = 2_000


class Member:
    """What the relay needs of a socket (``ChatConsumer`` mixes it in)."""

    relay_live = False
    relay_pending = None
    relay_overflow = False
    relay_revoked = False

    def relay_start(self):
        """Hold the room's frames from now on, until ``relay_flush``."""
        self.relay_pending = []
        self.relay_overflow = False
        self.relay_revoked = False

    async def relay_flush(self):
        """Write what arrived before the hello, in order, then take frames as they come.
        Returns False when more arrived than a joining socket may hold."""
        pending = self.relay_pending
        while pending:
            text = pending.pop(0)
            await self.relay_write(text)
        # No await between the last check and going live: nothing slips between the two.
        self.relay_pending = None
        if self.relay_overflow:
            return False
        self.relay_live = True
        return True

    def relay_frame(self, text):
        if self.relay_live:
            return self.relay_write(text)
        pending = self.relay_pending
        if pending is not None:
            if len(pending) < PENDING_MAX:
                pending.append(text)
            else:
                self.relay_overflow = True
        return None

    async def relay_write(self, text):  # pragma: no cover - the consumer defines it
        raise NotImplementedError

    def relay_revoke(self):  # pragma: no cover - the consumer defines it
        raise NotImplementedError


class _Room:
    __slots__ = (
        "channel",
        "kept",
        "layer",
        "members",
        "project_id",
        "reading",
        "receiver",
        "subscribed",
        "version",
    )

    def __init__(self, project_id, layer):
        self.project_id = project_id
        self.layer = layer
        self.members = set()
        self.channel = None
        self.receiver = None
        self.subscribed = None
        # Counts the room's message frames seen here; ``kept`` is the hello's messages, good
        # while no message frame came after they were read: (version, last_seq, text, until).
        self.version = 0
        self.kept = None
        self.reading = None  # (version, future) while one join reads them for the others

    async def subscribe(self):
        """This process's channel for the room, in the room's group, and its reader."""
        self.channel = await runtime.new_channel(self.layer)
        # Reading from the start: cancelling the reader is what releases the channel.
        self.receiver = asyncio.ensure_future(self._read())
        await self.layer.group_add(events.group_name(self.project_id), self.channel)

    async def _read(self):
        while True:
            event = await self.layer.receive(self.channel)
            try:
                await self.deliver(event)
            except Exception as exc:  # noqa: BLE001 - one bad event must not end the room
                runtime.log_limited("relay", "chat: relaying an event failed (%r)", exc)

    async def deliver(self, event):
        kind = event.get("type")
        if kind == events.LAYER_FRAME:
            if event.get("kind") != "presence":  # a message was added or changed
                self.version += 1
                self.kept = None
            text = event["text"]
            for member in list(self.members):
                writing = member.relay_frame(text)
                if writing is not None:
                    await _written(writing)
        elif kind == events.LAYER_TYPING:
            author, text = event["user"]["id"], event["text"]
            for member in list(self.members):
                if member.relay_live and member.user.pk != author:
                    await _written(member.relay_write(text))
        elif kind == events.LAYER_REVOKE:
            user_ids = set(event["user_ids"])
            for member in list(self.members):
                if member.user.pk in user_ids:
                    member.relay_revoke()
        else:
            runtime.log_limited("relay", "chat: no handler for %r", kind)

    async def close(self):
        if self.receiver is not None:
            self.receiver.cancel()
        if self.channel is not None:
            await self.layer.group_discard(events.group_name(self.project_id), self.channel)


async def _written(writing):
    """A write to one socket; a socket that is gone must not stop the others' frames."""
    try:
        await writing
    except Exception as exc:  # noqa: BLE001
        runtime.log_limited("relay-write", "chat: writing to a socket failed (%r)", exc)


_rooms = weakref.WeakKeyDictionary()  # event loop -> {project id: _Room}


def _loop_rooms():
    return _rooms.setdefault(asyncio.get_running_loop(), {})


async def join(member, project_id, layer):
    """Add ``member`` to its room in this process, subscribing the process if it is the
    first. From its return, every frame of the room reaches ``member`` (held until it is
    live). Raises what the channel layer raises when it cannot subscribe."""
    rooms = _loop_rooms()
    room = rooms.get(project_id)
    if room is None:
        room = rooms[project_id] = _Room(project_id, layer)
        room.subscribed = asyncio.ensure_future(room.subscribe())
    member.relay_start()
    room.members.add(member)
    try:
        await asyncio.shield(room.subscribed)
    except BaseException:
        room.members.discard(member)
        if room.subscribed.done() and (
            room.subscribed.cancelled() or room.subscribed.exception() is not None
        ):
            # The subscription failed: the next join tries afresh.
            if rooms.get(project_id) is room:
                del rooms[project_id]
            await _closed(room)
        elif not room.members:
            await _forget(rooms, project_id, room)
        raise


async def leave(member, project_id):
    """``member`` takes no more frames; the last one out unsubscribes the process."""
    member.relay_live = False
    member.relay_pending = None
    rooms = _loop_rooms()
    room = rooms.get(project_id)
    if room is None or member not in room.members:
        return
    room.members.discard(member)
    if not room.members:
        await _forget(rooms, project_id, room)


async def _forget(rooms, project_id, room):
    if rooms.get(project_id) is room:
        del rooms[project_id]
    if room.subscribed is not None and not room.subscribed.done():
        room.subscribed.cancel()
    await _closed(room)


async def _closed(room):
    try:
        await room.close()
    except Exception as exc:  # noqa: BLE001 - Redis may be gone; the channel dies with it
        runtime.log_limited("relay", "chat: leaving a room's group failed (%r)", exc)


async def kept_messages(project_id):
    """``(version, last_seq, text, reader)``: the room's latest messages as a hello here
    read them (``text`` None when nothing good is kept: read them). Pass ``version`` back to
    ``keep_messages``; a ``reader`` calls ``read_done`` when its read is over, however it ends.

    Kept only while this process is in the room, so every change to a message since the
    read reached it (each is published after it is stored), and only for
    ``CHAT_HELLO_KEEP_SECONDS``: people joining together share one read of the room. While
    one of them reads, the others wait for that read rather than make their own."""
    room = _loop_rooms().get(project_id)
    if room is None:
        return None, None, None, False
    kept = _good(room)
    if kept is not None:
        return room.version, kept[1], kept[2], False
    reading = room.reading
    if reading is None or reading[0] != room.version:
        if float(settings.CHAT_HELLO_KEEP_SECONDS) > 0:
            room.reading = (room.version, asyncio.get_running_loop().create_future())
            return room.version, None, None, True
        return room.version, None, None, False
    await asyncio.shield(reading[1])
    kept = _good(room)
    if kept is not None:
        return room.version, kept[1], kept[2], False
    return room.version, None, None, False


def _good(room):
    kept = room.kept
    if kept is None or kept[0] != room.version or kept[3] < asyncio.get_running_loop().time():
        return None
    return kept


def keep_messages(project_id, version, last_seq, text):
    """Keep what a hello read (``version`` as ``kept_messages`` gave it before the read):
    not if a message frame came meanwhile, for then the read may be older than the room."""
    room = _loop_rooms().get(project_id)
    seconds = float(settings.CHAT_HELLO_KEEP_SECONDS)
    if room is None or version is None or room.version != version or seconds <= 0:
        return
    room.kept = (version, last_seq, text, asyncio.get_running_loop().time() + seconds)


def read_done(project_id):
    """The reader's read is over (kept or not): the joins waiting for it go on."""
    room = _loop_rooms().get(project_id)
    reading = room.reading if room is not None else None
    if reading is not None:
        room.reading = None
        if not reading[1].done():
            reading[1].set_result(None)


def rooms_here():
    """Project ids of the rooms this process relays (tests, diagnostics)."""
    return sorted(_loop_rooms())
