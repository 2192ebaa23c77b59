"""The project chat websocket at /ws/projects/<id>/chat/ (contract: CHAT_PROTOCOL.md).

One ``ChatConsumer`` is one socket; what a server process shares between its sockets
(presence refresh, the open sockets, room locks, the typing throttle, database threads) is in
``chat.runtime``, and reading client frames in ``chat.frames``.
"""

import asyncio
import uuid

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from core.i18n import scope_language
from core.ids import parse_id

from . import (
    events,
    frames,
    presence,
    ratelimit,
    redis_clients,
    relay,
    runtime,
    selectors,
    services,
)
from .frames import FRAME_MAX_BYTES, FrameError

__all__ = ["FRAME_MAX_BYTES", "ChatConsumer"]

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# Redis is down: an `unavailable` error frame, then a normal close; the client reconnects
# with backoff. (RFC 6455's 1013 "try again later" is refused by daphne's websocket stack,
# which lets a server send only 1000 or 3000-4999.)
CLOSE_TRY_AGAIN = 1000


class ChatConsumer(relay.Member, AsyncWebsocketConsumer):
    """One socket of one person in one project's chat.

    Async, because thousands of mostly idle sockets must cost little; all database work goes
    through the synchronous services in ``chat.services``, one ``database_sync_to_async`` hop
    per frame (a send is a single short transaction). Whether the person may chat, and may
    delete others' messages, is decided once at connect and cached on the consumer: the
    per-message path runs no permission query. Access can only be lost through
    ``projects.signals.team_access_revoked``, which ``chat.receivers`` turns into a group event
    that closes the person's sockets on every process (and a slow re-check covers a lost one).

    Group names come from primary keys only. Every frame for the room is encoded once by its
    sender and passed through the channel layer as text. A socket has no channel of its own:
    each process is in a room's group once (``chat.relay``), receives a room's frame once and
    writes it to its sockets in that room.

    The channel layer is Redis pub/sub. It delivers at most once, so when Redis fails (a message's
    group send or a join raises) every chat socket of this process gets ``unavailable`` and
    is closed: the clients reconnect with backoff and ``sync`` from the database, which holds
    every acknowledged message. With Redis down at connect, the socket is accepted, told
    ``unavailable`` and closed the same way. Presence is not worth a socket: a failed
    presence write, heartbeat or presence frame is logged and tried again later.

    No frame a client sends can end the socket: a frame the protocol refuses is answered with
    ``error`` (``chat.frames``), and an unexpected failure while acting on one with ``error``
    too, logged at most once per few seconds. However the socket ends (closed by either side,
    the application cancelled), the person's presence entry is removed at once.
    """

    ready = False
    joined = False
    project_id = None
    language = None  # until connect: the site's default

    async def __call__(self, scope, receive, send):
        """Channels' ``AsyncConsumer.__call__`` without a channel of its own: the room's
        frames come through ``chat.relay``, one subscription per room and process. Leaving
        (presence, the room) runs however the socket ends."""
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        # This socket's name in the presence entries.
        self.socket_id = uuid.uuid4().hex
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass
        finally:
            await self._leave()

    async def dispatch(self, message):
        """Run the handler of an ASGI message.

        Channels' own ``dispatch`` first closes stale database connections, a thread hop, for
        every message. Nothing here uses the database on the event loop (every query runs
        through ``runtime.db()``, which closes stale connections in its worker thread).
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            runtime.log_limited("dispatch", "chat: no handler for %r", message.get("type"))
            return
        await handler(message)

    # --- connect / disconnect ------------------------------------------------------------

    async def connect(self):
        self.user = self.scope.get("user")
        self.language = scope_language(self.scope)
        # Not an id any row can have: 0, which closes 4404 below.
        self.project_id = parse_id(self.scope["url_route"]["kwargs"]["project_id"]) or 0
        self.group = events.group_name(self.project_id)
        # Accept first: a close code only reaches a client after the handshake.
        await self.accept()
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not 0 < self.project_id <= frames.SEQ_MAX:  # no row has such a key
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.user_info = events.user_dict(self.user)
        try:
            await self._open()
        except Exception as exc:  # noqa: BLE001 - whatever failed, the client is told
            runtime.log_limited("connect", "chat: connect failed (%r)", exc)
            await self._leave_group()
            await self._error("unavailable", _("The chat is unavailable."))
            await self.close(code=CLOSE_TRY_AGAIN)

    async def _open(self):
        try:
            # In the room before the access check, so neither a message nor a revocation
            # sent meanwhile is missed: the relay holds them until the hello is out.
            self.joined = True
            await relay.join(self, self.project_id, self.channel_layer)
        except redis_clients.ERRORS as exc:
            self.joined = False
            runtime.log_limited("connect", "chat: cannot join group (%s)", exc)
            await self._error("unavailable", _("The chat is unavailable."))
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        try:
            state, messages_text = await self._read_room()
        except (services.ProjectMissing, services.ChatForbidden) as refused:
            await self._leave_group()
            missing = isinstance(refused, services.ProjectMissing)
            await self.close(code=CLOSE_NOT_FOUND if missing else CLOSE_FORBIDDEN)
            return
        except DatabaseError as exc:
            runtime.log_limited("database", "chat: database unavailable at connect (%s)", exc)
            await self._leave_group()
            await self._error("unavailable", _("The chat is unavailable."))
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        self.can_coordinate = state["can_coordinate"]
        online_text = await self._presence("join")
        await self.send(
            text_data=events.hello_text(
                project=state["project"],
                user=self.user_info,
                last_seq=state["last_seq"],
                read_seq=state["read_seq"],
                online_text=online_text,
                messages_text=messages_text,
            )
        )
        if not await self.relay_flush():
            await self._leave_group()
            await self._error("unavailable", _("The chat is unavailable; reconnecting."))
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        self.ready = True
        runtime.register(self)
        if self.relay_revoked:
            await self.revoked()

    async def _read_room(self):
        """``chat_open``, and the room's latest messages as JSON text: read once for the
        people joining together in this process (``chat.relay.kept_messages``)."""
        version, known_last_seq, messages_text, reader = await relay.kept_messages(
            self.project_id
        )
        try:
            state = await runtime.db(services.chat_open)(
                user=self.user, project_id=self.project_id, known_last_seq=known_last_seq
            )
            if state["messages"] is not None:
                messages_text = events.encode(state["messages"])
                relay.keep_messages(self.project_id, version, state["last_seq"], messages_text)
        finally:
            if reader:
                relay.read_done(self.project_id)
        return state, messages_text

    async def disconnect(self, code):
        await self._leave()

    async def _leave(self):
        """The socket is gone (closed, refused, cancelled): it is no longer online, and no
        longer in the room's group. Safe to run more than once.

        Shielded: when the server cancels the application while it is leaving (daphne does,
        after its close timeout, when hundreds of sockets close at once), the leave still
        completes instead of leaving the person online until the entry expires."""
        await asyncio.shield(self._leave_now())

    async def _leave_now(self):
        try:
            runtime.unregister(self)
            await self._leave_group()
            if self.ready:
                self.ready = False
                await self._presence("leave")
        except Exception as exc:  # noqa: BLE001 - leaving must not raise
            runtime.log_limited("leave", "chat: leaving failed (%r)", exc)

    async def _leave_group(self):
        if self.joined:
            self.joined = False
            await relay.leave(self, self.project_id)

    async def _presence(self, op):
        """Apply a presence change; the room is told the new online list if it changed
        (coalesced: ``runtime.presence_changed``). For a join, returns the online list as JSON
        text. A failure closes nothing: the heartbeat writes this socket's entry again, and
        an entry left behind expires."""
        try:
            changed, online_text = await getattr(presence, op)(
                self.project_id, self.user_info, self.socket_id, as_text=True
            )
        except redis_clients.ERRORS as exc:
            runtime.log_limited("presence", "chat: presence unavailable (%s)", exc)
            return events.encode([self.user_info])
        if changed:
            runtime.presence_changed(self.project_id, self.channel_layer)
        return online_text

    async def _group_send(self, event):
        try:
            await self.channel_layer.group_send(self.group, event)
            return True
        except redis_clients.ERRORS as exc:
            runtime.log_limited("group_send", "chat: group send failed (%s)", exc)
            return False

    # --- frames from the client ----------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if not self.ready:
            return
        # Every detail is written in the person's language, the refusals of ``parse`` too.
        with translation.override(self.language):
            try:
                frame = frames.parse(text_data, bytes_data)
            except FrameError as refused:
                await self._error(refused.code, refused.detail, refused.ref)
                return
            handler = self.HANDLERS[frame.type]
            try:
                await handler(self, frame)
            except (FrameError, services.ChatError) as exc:
                await self._error(exc.code, exc.detail, frame.ref)
            except DatabaseError as exc:
                runtime.log_limited("database", "chat: database error (%s)", exc)
                detail = _("The chat could not store this; try again.")
                await self._error("unavailable", detail, frame.ref)
            except Exception as exc:  # noqa: BLE001 - no frame may end the socket
                runtime.log_limited("frame", "chat: %s frame failed (%r)", frame.type, exc)
                await self._error("invalid", _("This frame could not be handled."), frame.ref)

    async def _error(self, code, detail, ref=None):
        with translation.override(self.language):
            await self._send_frame(events.error(code, detail, ref))

    async def _send_frame(self, frame):
        await self.send(text_data=events.encode(frame))

    async def on_send(self, frame):
        client_id, body = frame.fields["client_id"], frame.fields["body"]
        services.clean_body(body)
        if not await ratelimit.hit(self.user.pk):
            raise services.ChatError(
                "rate_limited", _("You are sending messages too fast; wait a moment.")
            )
        async with runtime.room_lock(self.project_id):
            message, created = await runtime.db(services.message_send)(
                project_id=self.project_id, author=self.user, body=body, client_id=client_id
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
            runtime.layer_failed()

    async def on_edit(self, frame):
        message = await runtime.db(services.message_edit)(
            project_id=self.project_id,
            user=self.user,
            seq=frame.fields["seq"],
            body=frame.fields["body"],
        )
        await self._broadcast_update(message)

    async def on_delete(self, frame):
        message = await runtime.db(services.message_delete)(
            project_id=self.project_id,
            user=self.user,
            seq=frame.fields["seq"],
            as_coordinator=self.can_coordinate,
        )
        await self._broadcast_update(message)

    async def _broadcast_update(self, message):
        event = events.layer_frame(events.message_updated(events.message_dict(message)))
        if not await self._group_send(event):
            await self.send(text_data=event["text"])
            runtime.layer_failed()

    async def on_history(self, frame):
        items, has_more = await runtime.db(selectors.message_history)(
            project_id=self.project_id, **frame.fields
        )
        await self._send_frame(events.messages(items, has_more))

    async def on_sync(self, frame):
        items, has_more = await runtime.db(selectors.message_sync)(
            project_id=self.project_id, after=frame.fields["after"]
        )
        await self._send_frame(events.messages(items, has_more))

    async def on_read(self, frame):
        await runtime.db(services.read_marker_set)(
            project_id=self.project_id, user=self.user, seq=frame.fields["seq"]
        )

    async def on_typing(self, frame):
        # Throttled: one typing event per person and room every TYPING_INTERVAL seconds in
        # this process, however many of their tabs are typing.
        if not runtime.typing_due(self.project_id, self.user.pk):
            return
        if not await self._group_send(events.layer_typing(self.user_info)):
            runtime.layer_failed()

    HANDLERS = {
        "message.send": on_send,
        "message.edit": on_edit,
        "message.delete": on_delete,
        "history": on_history,
        "sync": on_sync,
        "read": on_read,
        "typing": on_typing,
    }

    # --- the room's frames (``chat.relay``) -----------------------------------------------

    async def relay_write(self, text):
        await self.base_send({"type": "websocket.send", "text": text})

    def relay_revoke(self):
        if self.ready:
            asyncio.ensure_future(self.revoked())
        else:  # still joining: acted on once the hello is out
            self.relay_revoked = True

    def close_for_outage(self):
        """Tell the client the chat is unavailable and close the socket (it reconnects)."""
        if not self.ready:
            return
        self.ready = self.relay_live = False
        runtime.unregister(self)
        asyncio.ensure_future(self._close_for_outage())

    async def _close_for_outage(self):
        await self._error("unavailable", _("The chat is unavailable; reconnecting."))
        await self.close(code=CLOSE_TRY_AGAIN)

    async def revoked(self):
        """Access was taken away: ``forbidden``, presence left, closed with 4403."""
        self.relay_live = False
        await self._error("forbidden", _("You no longer have access to this chat."))
        if self.ready:
            self.ready = False
            await self._presence("leave")
        await self.close(code=CLOSE_FORBIDDEN)
