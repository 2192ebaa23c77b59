"""The chat's per-process runtime: what one server process keeps for all its chat sockets.

- the open sockets (per event loop: tests run several), for the periodic work done for all of
  them at once (``_keep``: presence refresh, access re-check) and to close them all when
  Redis fails (``layer_failed``);
- one lock per room, so this process announces a room's messages in seq order;
- the typing throttle (one ``typing`` per person and room every ``TYPING_INTERVAL``);
- the worker threads for database work (``db``);
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
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from django.db import connection

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
    """Forget the typing throttle (tests)."""
    _last_typing.clear()


# --- database threads ---------------------------------------------------------------------

# The chat's own worker threads for database work on PostgreSQL: a few, long-lived, so each
# keeps taking its connection from psycopg's pool (threads made per event loop would not).
_db_threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="chat-db")


def db(func):
    """``func`` run off the event loop. On PostgreSQL in the chat's worker threads, so one slow
    query does not hold up every room; on SQLite (one writer) in Django's single shared
    thread."""
    if connection.vendor == "postgresql":
        return database_sync_to_async(func, thread_sensitive=False, executor=_db_threads)
    return database_sync_to_async(func)


# --- channel layer ------------------------------------------------------------------------


async def new_channel(layer):
    """A channel of this process for one socket (``layer.new_channel()``).

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
    sockets = [(consumer.user_info, consumer.channel_name) for consumer in members]
    try:
        changed, online = await presence.beat_many(project_id, sockets)
        if changed:
            await members[0].channel_layer.group_send(
                events.group_name(project_id), events.layer_frame(events.presence(online))
            )
    except redis_clients.ERRORS as exc:
        log_limited("presence", "chat: presence unavailable (%s)", exc)
        layer_failed()


async def _recheck_room(project_id, members):
    allowed = await db(services.chat_allowed_user_ids)(
        project_id=project_id, user_ids={consumer.user.pk for consumer in members}
    )
    for consumer in members:
        if consumer.ready and consumer.user.pk not in allowed:
            await consumer.revoked()
