"""The project chat websocket at /ws/projects/<id>/chat/ (contract: CHAT_PROTOCOL.md)."""

import asyncio
import json
import logging
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import translation
from django.utils.translation import gettext as _

from core.ids import parse_id

from . import events, presence, ratelimit, redis_clients, selectors, services

logger = logging.getLogger(__name__)

FRAME_MAX_BYTES = 16 * 1024
TYPING_INTERVAL = 2.0
RECHECK_SECONDS = 120

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# Redis is down: an `unavailable` error frame, then a normal close; the client reconnects
# with backoff. (RFC 6455's 1013 "try again later" is refused by daphne's websocket stack,
# which lets a server send only 1000 or 3000-4999.)
CLOSE_TRY_AGAIN = 1000

# This process's open chat sockets (per event loop: tests run several), for the periodic work
# done for all of them at once and to close them all when Redis fails.
_open_consumers = weakref.WeakKeyDictionary()
_keepers = weakref.WeakKeyDictionary()


def _consumers():
    return _open_consumers.setdefault(asyncio.get_running_loop(), weakref.WeakSet())


def _register(consumer):
    _consumers().add(consumer)
    loop = asyncio.get_running_loop()
    keeper = _keepers.get(loop)
    if keeper is None or keeper.done():
        _keepers[loop] = asyncio.ensure_future(_keep())


def _unregister(consumer):
    consumers = _consumers()
    consumers.discard(consumer)
    if not consumers:  # the last socket here closed: no periodic work until the next one
        keeper = _keepers.pop(asyncio.get_running_loop(), None)
        if keeper is not None and keeper is not asyncio.current_task():
            keeper.cancel()


# When each person last announced typing in each room: (project id, user id) -> monotonic.
_last_typing = {}

# One lock per room in this process: a send holds it from storing to publishing, so this
# process announces a room's messages in seq order (clients would otherwise see a gap and
# sync). Rooms do not wait for each other.
_room_locks = weakref.WeakValueDictionary()


def _room_lock(project_id):
    lock = _room_locks.get(project_id)
    if lock is None:
        lock = _room_locks[project_id] = asyncio.Lock()
    return lock


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


def layer_failed():
    """Redis failed: close every chat socket of this process (clients reconnect and sync)."""
    for consumer in list(_consumers()):
        consumer.close_for_outage()


async def _keep():
    """The periodic work of this process's chat, for all its sockets at once: presence is
    refreshed with one call per room, access re-checked with one pass per room. It is
    cancelled when the last socket closes and starts again with the next."""
    beat = presence.heartbeat_seconds()
    since_recheck = 0.0
    while _consumers():
        await asyncio.sleep(beat)
        since_recheck += beat
        rooms = {}
        for consumer in list(_consumers()):
            if consumer.ready:
                rooms.setdefault(consumer.project_id, []).append(consumer)
        recheck = since_recheck >= RECHECK_SECONDS
        if recheck:
            since_recheck = 0.0
        for project_id, consumers in rooms.items():
            try:
                await _beat_room(project_id, consumers)
                if recheck:
                    await _recheck_room(project_id, consumers)
            except Exception:  # noqa: BLE001 - one room's failure must not stop the others
                logger.exception("chat: periodic work failed for project %s", project_id)


async def _beat_room(project_id, consumers):
    sockets = [(consumer.user_info, consumer.channel_name) for consumer in consumers]
    try:
        changed, online = await presence.beat_many(project_id, sockets)
        if changed:
            await consumers[0].channel_layer.group_send(
                events.group_name(project_id), events.layer_frame(events.presence(online))
            )
    except redis_clients.ERRORS as exc:
        logger.warning("chat: presence unavailable (%s)", exc)
        layer_failed()


async def _recheck_room(project_id, consumers):
    allowed = await db(services.chat_allowed_user_ids)(
        project_id=project_id, user_ids={consumer.user.pk for consumer in consumers}
    )
    for consumer in consumers:
        if consumer.ready and consumer.user.pk not in allowed:
            await consumer._revoked()


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """One socket of one person in one project's chat.

    Async, because thousands of mostly idle sockets must cost little; all database work goes
    through the synchronous services in ``chat.services``, one ``database_sync_to_async`` hop
    per frame (a send is a single short transaction). Whether the person may chat, and may
    delete others' messages, is decided once at connect and cached on the consumer: the
    per-message path runs no permission query. Access can only be lost through
    ``projects.signals.team_access_revoked``, which ``chat.receivers`` turns into a group event
    that closes the person's sockets on every process (and a slow re-check covers a lost one).

    Group names come from primary keys only. Every frame for the room is encoded once by its
    sender and passed through the channel layer as text, so each socket only forwards it.

    The channel layer is Redis pub/sub: each process receives a room's frame once and hands
    it to its sockets in memory. It delivers at most once, so when Redis fails (a group send,
    a presence beat or a join raises) every chat socket of this process gets ``unavailable``
    and is closed: the clients reconnect with backoff and ``sync`` from the database, which
    holds every acknowledged message.

    Presence refresh and the access re-check run for all of a process's sockets at once
    (``_keep``), not once per socket: a thousand idle sockets cost a few calls per heartbeat.
    """

    async def dispatch(self, message):
        """Run the handler of an ASGI or channel-layer message.

        Channels' own ``dispatch`` first closes stale database connections, a thread hop, for
        every message: for every frame forwarded to every socket of a room. Nothing here uses
        the database on the event loop (every query runs through ``db()``, which closes stale
        connections in its worker thread), so frames are forwarded without that hop.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- connect / disconnect ------------------------------------------------------------

    async def connect(self):
        self.ready = False
        self.user = self.scope.get("user")
        self.language = self._language()
        self.project_id = parse_id(self.scope["url_route"]["kwargs"]["project_id"])
        self.group = events.group_name(self.project_id)
        # Accept first: a close code only reaches a client after the handshake.
        await self.accept()
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_info = events.user_dict(self.user)
        try:
            # Joined before the access check, so a revocation sent meanwhile is not missed:
            # channel events wait until connect() returns.
            await self.channel_layer.group_add(self.group, self.channel_name)
            self.joined = True
        except redis_clients.ERRORS as exc:
            logger.warning("chat: cannot join group (%s)", exc)
            await self._send_frame(events.error("unavailable", _("The chat is unavailable.")))
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        try:
            state = await db(services.chat_open)(user=self.user, project_id=self.project_id)
        except services.ProjectMissing:
            await self._leave_group()
            await self.close(code=CLOSE_NOT_FOUND)
            return
        except services.ChatForbidden:
            await self._leave_group()
            await self.close(code=CLOSE_FORBIDDEN)
            return
        except DatabaseError as exc:
            logger.warning("chat: database unavailable at connect (%s)", exc)
            await self._leave_group()
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        self.can_coordinate = state["can_coordinate"]
        online = await self._presence("join")
        await self._send_frame(
            events.hello(
                project=state["project"],
                user=self.user_info,
                last_seq=state["last_seq"],
                read_seq=state["read_seq"],
                online=online,
                messages=state["messages"],
            )
        )
        self.ready = True
        _register(self)

    async def disconnect(self, code):
        _unregister(self)
        if getattr(self, "ready", False):
            self.ready = False
            await self._presence("leave")
        await self._leave_group()

    async def _leave_group(self):
        if getattr(self, "joined", False):
            self.joined = False
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except redis_clients.ERRORS:
                pass

    def _language(self):
        """The person's language for error details: their language cookie, else English."""
        cookies = self.scope.get("cookies", {})
        code = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code in dict(settings.LANGUAGES):
            return code
        for name, value in self.scope.get("headers", []):
            if name == b"accept-language":
                for part in value.decode("latin-1").split(","):
                    code = part.split(";")[0].strip().lower()[:2]
                    if code in dict(settings.LANGUAGES):
                        return code
        return settings.LANGUAGE_CODE

    # --- periodic work -------------------------------------------------------------------

    async def _presence(self, op):
        """Apply a presence change; broadcast the new online list if it changed."""
        try:
            changed, online = await getattr(presence, op)(
                self.project_id, self.user_info, self.channel_name
            )
        except redis_clients.ERRORS as exc:
            logger.warning("chat: presence unavailable (%s)", exc)
            return [self.user_info]
        if changed and not await self._group_send(events.layer_frame(events.presence(online))):
            layer_failed()
        return online

    async def _group_send(self, event):
        try:
            await self.channel_layer.group_send(self.group, event)
            return True
        except redis_clients.ERRORS as exc:
            logger.warning("chat: group send failed (%s)", exc)
            return False

    # --- frames from the client ----------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if not self.ready:
            return
        if text_data is None or len(text_data.encode("utf-8")) > FRAME_MAX_BYTES:
            await self._error("invalid", _("The frame is too large or not text."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self._error("invalid", _("The frame is not valid JSON."))
            return
        if not isinstance(content, dict):
            await self._error("invalid", _("The frame must be a JSON object."))
            return
        handler = self.HANDLERS.get(content.get("type"))
        if handler is None:
            await self._error("invalid", _("Unknown frame type."))
            return
        with translation.override(self.language):
            try:
                await handler(self, content)
            except services.ChatError as exc:
                await self._error(exc.code, exc.detail, self._ref(content))
            except DatabaseError as exc:
                logger.warning("chat: database error (%s)", exc)
                detail = _("The chat could not store this; try again.")
                await self._error("unavailable", detail, self._ref(content))

    @staticmethod
    def _ref(content):
        ref = content.get("client_id", content.get("seq"))
        return ref if isinstance(ref, str | int) and not isinstance(ref, bool) else None

    async def _error(self, code, detail, ref=None):
        with translation.override(self.language):
            await self._send_frame(events.error(code, detail, ref))

    async def _send_frame(self, frame):
        await self.send(text_data=events.encode(frame))

    @staticmethod
    def _int(content, key, minimum=0, maximum=None, default=None):
        value = content.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise services.ChatError("invalid", _("Field “%(field)s” is wrong.") % {"field": key})
        if maximum is not None and value > maximum:
            raise services.ChatError("invalid", _("Field “%(field)s” is wrong.") % {"field": key})
        return value

    async def on_send(self, content):
        client_id = services.clean_client_id(content.get("client_id"))
        services.clean_body(content.get("body"))
        if not await ratelimit.hit(self.user.pk):
            raise services.ChatError(
                "rate_limited", _("You are sending messages too fast; wait a moment.")
            )
        async with _room_lock(self.project_id):
            message, created = await db(services.message_send)(
                project_id=self.project_id,
                author=self.user,
                body=content["body"],
                client_id=client_id,
            )
            event = events.layer_frame(events.message_new(events.message_dict(message, self.user)))
            # Stored and committed: tell the room. A resend is acknowledged to its sender only.
            if not created:
                await self.send(text_data=event["text"])
                return
            published = await self._group_send(event)
        if not published:
            # Redis failed: the message is stored, so the sender may be told; then every
            # socket here reconnects and syncs, and so do the other processes' in turn.
            await self.send(text_data=event["text"])
            layer_failed()

    async def on_edit(self, content):
        seq = self._int(content, "seq", minimum=1)
        message = await db(services.message_edit)(
            project_id=self.project_id, user=self.user, seq=seq, body=content.get("body")
        )
        await self._broadcast_update(message)

    async def on_delete(self, content):
        seq = self._int(content, "seq", minimum=1)
        message = await db(services.message_delete)(
            project_id=self.project_id,
            user=self.user,
            seq=seq,
            as_coordinator=self.can_coordinate,
        )
        await self._broadcast_update(message)

    async def _broadcast_update(self, message):
        event = events.layer_frame(events.message_updated(events.message_dict(message)))
        if not await self._group_send(event):
            await self.send(text_data=event["text"])
            layer_failed()

    async def on_history(self, content):
        before = self._int(content, "before", minimum=1)
        limit = self._int(content, "limit", minimum=1, maximum=selectors.HISTORY_MAX, default=50)
        items, has_more = await db(selectors.message_history)(
            project_id=self.project_id, before=before, limit=limit
        )
        await self._send_frame(events.messages(items, has_more))

    async def on_sync(self, content):
        after = self._int(content, "after", minimum=0)
        items, has_more = await db(selectors.message_sync)(project_id=self.project_id, after=after)
        await self._send_frame(events.messages(items, has_more))

    async def on_read(self, content):
        seq = self._int(content, "seq", minimum=0)
        await db(services.read_marker_set)(project_id=self.project_id, user=self.user, seq=seq)

    async def on_typing(self, content):
        # Throttled: one typing event per person and room every TYPING_INTERVAL seconds in
        # this process, however many of their tabs are typing.
        now = time.monotonic()
        key = (self.project_id, self.user.pk)
        if now - _last_typing.get(key, -TYPING_INTERVAL) < TYPING_INTERVAL:
            return
        _last_typing[key] = now
        if len(_last_typing) > 10_000:  # forget old entries now and then
            for stale in [k for k, t in _last_typing.items() if now - t >= TYPING_INTERVAL]:
                del _last_typing[stale]
        if not await self._group_send(events.layer_typing(self.user_info)):
            layer_failed()

    HANDLERS = {
        "message.send": on_send,
        "message.edit": on_edit,
        "message.delete": on_delete,
        "history": on_history,
        "sync": on_sync,
        "read": on_read,
        "typing": on_typing,
    }

    # --- channel-layer events ------------------------------------------------------------

    async def chat_frame(self, event):
        if self.ready:
            await self.send(text_data=event["text"])

    async def chat_typing(self, event):
        if self.ready and event["user"]["id"] != self.user.pk:
            await self.send(text_data=event["text"])

    async def chat_revoke(self, event):
        if self.ready and self.user.pk in event["user_ids"]:
            await self._revoked()

    def close_for_outage(self):
        """Tell the client the chat is unavailable and close the socket (it reconnects)."""
        if not self.ready:
            return
        self.ready = False
        _unregister(self)
        asyncio.ensure_future(self._close_for_outage())

    async def _close_for_outage(self):
        with translation.override(self.language):
            await self._send_frame(
                events.error("unavailable", _("The chat is unavailable; reconnecting."))
            )
        await self.close(code=CLOSE_TRY_AGAIN)

    async def _revoked(self):
        await self._error("forbidden", _("You no longer have access to this chat."))
        if self.ready:
            self.ready = False
            await self._presence("leave")
        await self.close(code=CLOSE_FORBIDDEN)
