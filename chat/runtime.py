"""The chat's per-process runtime: what one server process keeps for all its chat sockets.

- the open sockets (per event loop: tests run several), for the periodic work done for all of
  them at once (``_keep``: presence refresh, access re-check) and to close them all when
  Redis fails (``layer_failed``);
- one lock per room, so this process announces a room's messages in seq order;
- the typing throttle (one ``typing`` per person and room every ``TYPING_INTERVAL``);
- the worker threads for database work (``db``);
- presence frames, coalesced per room (``presence_changed``): at most one per room every
  ``CHAT_PRESENCE_COALESCE_SECONDS``, always the latest full list;
- joining the channel layer without leaking when Redis is down (``new_channel``);
- logging that cannot be turned into a flood by a client (``log_limited``).

The consumer (``chat.consumers``) is one socket; everything here is shared by the sockets of a
process and holds no state of any one of them.
"""

import asyncio
import logging
import time
import uuid
import weakref

from django.conf import settings

from core import dbthreads

from . import events, presence, redis_clients, services

logger = logging.getLogger("chat")

TYPING_INTERVAL = 2.0
RECHECK_SECONDS = 120
LOG_INTERVAL = 10.0

# --- open sockets -------------------------------------------------------------------------

_open_consumers = weakref.WeakKeyDictionary()
_keepers = weakref.WeakKeyDictionary()


def consumers():
    """This event loop's open, registered chat sockets."""
    return _open_consumers.setdefault(asyncio.get_running_loop(), weakref.WeakSet())


def register(consumer):
    consumers().add(consumer)
    loop = asyncio.get_running_loop()
    keeper = _keepers.get(loop)
    if keeper is None or keeper.done():
        _keepers[loop] = asyncio.ensure_future(_keep())


def unregister(consumer):
    open_here = consumers()
    open_here.discard(consumer)
    if not open_here:  # the last socket here closed: no periodic work until the next one
        keeper = _keepers.pop(asyncio.get_running_loop(), None)
        if keeper is not None and keeper is not asyncio.current_task():
            keeper.cancel()


def layer_failed():
    """Redis failed: close every chat socket of this process (clients reconnect and sync)."""
    for consumer in list(consumers()):
        consumer.close_for_outage()


# --- room locks, typing throttle ----------------------------------------------------------

# One lock per room in this process: a send holds it from storing to publishing, so this
# process announces a room's messages in seq order (clients would otherwise see a gap and
# sync). Rooms do not wait for each other.
_room_locks = weakref.WeakValueDictionary()


def room_lock(project_id):
    lock = _room_locks.get(project_id)
    if lock is None:
        lock = _room_locks[project_id] = asyncio.Lock()
    return lock


# When each person last announced typing in each room: (project id, user id) -> monotonic.
_last_typing = {}


def typing_due(project_id, user_id):
    """Whether a typing event of this person in this room is due (and count it if so)."""
    now = time.monotonic()
    key = (project_id, user_id)
    if now - _last_typing.get(key, -TYPING_INTERVAL) < TYPING_INTERVAL:
        return False
    _last_typing[key] = now
    if len(_last_typing) > 10_000:  # forget old entries now and then
        for stale in [k for k, t in _last_typing.items() if now - t >= TYPING_INTERVAL]:
            del _last_typing[stale]
    return True


def reset():
    """Forget the typing throttle and which warnings were logged lately (tests)."""
    _last_typing.clear()
    _last_logged.clear()


# --- presence frames, coalesced per room ---------------------------------------------------

# The protocol's `presence` frame carries the whole online list. Sent once per join, a room
# filling with N people costs N frames of up to N entries to each of N members: quadratic.
# Instead each process announces a room's presence at most once per window: the first change
# after a quiet window at once (one person joining is seen without delay), later changes at
# the end of the window, each time with the list as it is then. A change during a send is
# announced by the next one, so the last frame always carries the final set.


class _RoomPresence:
    __slots__ = ("dirty", "last_sent", "layer", "task")

    def __init__(self):
        self.dirty = False
        self.last_sent = float("-inf")
        self.layer = None
        self.task = None


_presence_rooms = weakref.WeakKeyDictionary()  # event loop -> {project id: _RoomPresence}
# A presence frame that could not be sent is tried again this many times, a heartbeat apart.
PRESENCE_RETRIES = 3


def coalesce_seconds():
    return max(0.0, float(settings.CHAT_PRESENCE_COALESCE_SECONDS))


def presence_changed(project_id, layer):
    """The online set of a room changed (seen by this process): announce it to the room."""
    rooms = _presence_rooms.setdefault(asyncio.get_running_loop(), {})
    room = rooms.get(project_id)
    if room is None:
        room = rooms[project_id] = _RoomPresence()
    room.layer = layer
    room.dirty = True
    if room.task is None:
        room.task = asyncio.ensure_future(_announce_presence(project_id, room, rooms))


async def _announce_presence(project_id, room, rooms):
    loop = asyncio.get_running_loop()
    window = coalesce_seconds()
    failures = 0
    try:
        while True:
            wait = room.last_sent + window - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not room.dirty:
                break
            room.dirty = False
            room.last_sent = loop.time()
            try:
                _changed, online_text = await presence.current(project_id, as_text=True)
                frame = events.layer_text(events.presence_text(online_text), "presence")
                await room.layer.group_send(events.group_name(project_id), frame)
                failures = 0
            except Exception as exc:  # noqa: BLE001 - presence must not end the room's task
                # Never a reason to close anyone's socket: try again a little later, a few
                # times (entries nobody refreshes expire on their own meanwhile).
                log_limited("presence", "chat: presence unavailable (%r)", exc)
                failures += 1
                if failures <= PRESENCE_RETRIES:
                    room.dirty = True
                    room.last_sent = loop.time() + presence.heartbeat_seconds() - window
    finally:
        room.task = None
        if rooms.get(project_id) is room:
            del rooms[project_id]


# --- database threads ---------------------------------------------------------------------

# ``db(func)``: ``func`` off the event loop, in the worker threads the websocket consumers share
# on PostgreSQL (``core.dbthreads``).
db = dbthreads.db


# --- channel layer ------------------------------------------------------------------------


async def new_channel(layer):
    """A channel of this process (``layer.new_channel()``): one per room it relays.

    channels_redis' pub/sub layer registers the channel's queue before subscribing, and keeps
    it when the subscription fails: with Redis down, every refused connection attempt would
    leave one behind. Here the name is chosen first, so a failed subscription is undone.
    """
    subscribe = getattr(layer, "_subscribe_to_channel", None)
    queues = getattr(layer, "channels", None)
    if subscribe is None or not isinstance(queues, dict):
        return await layer.new_channel()
    name = f"{layer.prefix}specific.{uuid.uuid4().hex}"
    try:
        await subscribe(name)
    except BaseException:
        queues.pop(name, None)
        raise
    return name


# --- logging ------------------------------------------------------------------------------

_last_logged = {}


def log_limited(key, message, *args, level=logging.WARNING):
    """Log ``message`` at most once per ``LOG_INTERVAL`` seconds for each ``key``, saying how
    many were left out: a client repeating a failing frame cannot flood the log."""
    now = time.monotonic()
    last, skipped = _last_logged.get(key, (None, 0))
    if last is not None and now - last < LOG_INTERVAL:
        _last_logged[key] = (last, skipped + 1)
        return
    _last_logged[key] = (now, 0)
    if skipped:
        message = f"{message} (and {skipped} more like it)"
    logger.log(level, message, *args)


# --- periodic work ------------------------------------------------------------------------


async def _keep():
    """The periodic work of this process's chat, for all its sockets at once: presence is
    refreshed with one call per room, access re-checked with one pass per room. It is
    cancelled when the last socket closes and starts again with the next."""
    beat = presence.heartbeat_seconds()
    since_recheck = 0.0
    while consumers():
        await asyncio.sleep(beat)
        since_recheck += beat
        rooms = {}
        for consumer in list(consumers()):
            if consumer.ready:
                rooms.setdefault(consumer.project_id, []).append(consumer)
        recheck = since_recheck >= RECHECK_SECONDS
        if recheck:
            since_recheck = 0.0
        for project_id, members in rooms.items():
            try:
                await _beat_room(project_id, members)
                if recheck:
                    await _recheck_room(project_id, members)
            except Exception as exc:  # noqa: BLE001 - one room's failure must not stop the others
                log_limited("keep", "chat: periodic work failed in room %s (%r)", project_id, exc)


async def _beat_room(project_id, members):
    sockets = [(consumer.user_info, consumer.socket_id) for consumer in members]
    try:
        changed, _online = await presence.beat_many(project_id, sockets)
    except redis_clients.ERRORS as exc:
        # The sockets stay open: the next beat writes their entries again, and entries of
        # people who left meanwhile expire on their own.
        log_limited("presence", "chat: presence heartbeat failed (%s)", exc)
        return
    if changed:
        presence_changed(project_id, members[0].channel_layer)


async def _recheck_room(project_id, members):
    allowed = await db(services.chat_allowed_user_ids)(
        project_id=project_id, user_ids={consumer.user.pk for consumer in members}
    )
    for consumer in members:
        if consumer.ready and consumer.user.pk not in allowed:
            await consumer.revoked()
