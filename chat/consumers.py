"""The project chat websocket at /ws/projects/<id>/chat/ (contract: CHAT_PROTOCOL.md)."""

import asyncio
import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from . import events, presence, ratelimit, redis_clients, selectors, services

logger = logging.getLogger(__name__)

FRAME_MAX_BYTES = 16 * 1024
TYPING_INTERVAL = 2.0
RECHECK_SECONDS = 120

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TRY_AGAIN = 1013  # RFC 6455 "try again later": the channel layer is down


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

    A periodic task refreshes presence, re-joins the group (the layer's ``group_expiry`` is
    short, so channels of crashed processes fall out of groups) and re-checks access.
    """

    # --- channel layer resilience --------------------------------------------------------
    # AsyncConsumer.__call__ assigns ``channel_receive`` and then loops on it; a property lets
    # us wrap it so that a Redis outage closes the socket with "try again later" (the client
    # reconnects and syncs from the database) instead of crashing the consumer.

    @property
    def channel_receive(self):
        return self._resilient_receive

    @channel_receive.setter
    def channel_receive(self, value):
        self._raw_channel_receive = value

    async def _resilient_receive(self):
        while True:
            try:
                return await self._raw_channel_receive()
            except redis_clients.ERRORS as exc:
                if not getattr(self, "_layer_failed", False):
                    self._layer_failed = True
                    logger.warning("chat: channel layer unavailable (%s)", exc)
                    return {"type": "chat.layer_down"}
                await asyncio.sleep(1)

    # --- connect / disconnect ------------------------------------------------------------

    async def connect(self):
        self.ready = False
        self.user = self.scope.get("user")
        self.language = self._language()
        self.project_id = int(self.scope["url_route"]["kwargs"]["project_id"])
        self.group = events.group_name(self.project_id)
        self.last_typing = 0.0
        self.ticker = None
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
            state = await database_sync_to_async(services.chat_open)(
                user=self.user, project_id=self.project_id
            )
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
        self.ticker = asyncio.ensure_future(self._tick())

    async def disconnect(self, code):
        if self.ticker is not None:
            self.ticker.cancel()
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

    async def _tick(self):
        beat = presence.heartbeat_seconds()
        expiry = getattr(self.channel_layer, "group_expiry", 86400)
        rejoin_every = max(beat, expiry / 3)
        since_rejoin = since_recheck = 0.0
        try:
            while self.ready:
                await asyncio.sleep(beat)
                since_rejoin += beat
                since_recheck += beat
                await self._presence("beat")
                if since_rejoin >= rejoin_every:
                    since_rejoin = 0.0
                    try:
                        await self.channel_layer.group_add(self.group, self.channel_name)
                    except redis_clients.ERRORS as exc:
                        logger.warning("chat: re-join failed (%s)", exc)
                if since_recheck >= RECHECK_SECONDS:
                    since_recheck = 0.0
                    still = await database_sync_to_async(services.chat_still_allowed)(
                        user=self.user, project_id=self.project_id
                    )
                    if not still:
                        await self._revoked()
                        return
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - a failing tick must not take the socket down
            logger.exception("chat: periodic task failed")

    async def _presence(self, op):
        """Apply a presence change; broadcast the new online list if it changed."""
        try:
            changed, online = await getattr(presence, op)(
                self.project_id, self.user_info, self.channel_name
            )
        except redis_clients.ERRORS as exc:
            logger.warning("chat: presence unavailable (%s)", exc)
            return [self.user_info]
        if changed:
            await self._group_send(events.layer_frame(events.presence(online)))
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
        message, created = await database_sync_to_async(services.message_send)(
            project_id=self.project_id,
            author=self.user,
            body=content["body"],
            client_id=client_id,
        )
        event = events.layer_frame(events.message_new(events.message_dict(message, self.user)))
        # Stored and committed: tell the room; if the layer is down, at least the sender (it
        # is stored, so it may be acknowledged; the others catch up with sync).
        if not created or not await self._group_send(event):
            await self.send(text_data=event["text"])

    async def on_edit(self, content):
        seq = self._int(content, "seq", minimum=1)
        message = await database_sync_to_async(services.message_edit)(
            project_id=self.project_id, user=self.user, seq=seq, body=content.get("body")
        )
        await self._broadcast_update(message)

    async def on_delete(self, content):
        seq = self._int(content, "seq", minimum=1)
        message = await database_sync_to_async(services.message_delete)(
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

    async def on_history(self, content):
        before = self._int(content, "before", minimum=1)
        limit = self._int(content, "limit", minimum=1, maximum=selectors.HISTORY_MAX, default=50)
        items, has_more = await database_sync_to_async(selectors.message_history)(
            project_id=self.project_id, before=before, limit=limit
        )
        await self._send_frame(events.messages(items, has_more))

    async def on_sync(self, content):
        after = self._int(content, "after", minimum=0)
        items, has_more = await database_sync_to_async(selectors.message_sync)(
            project_id=self.project_id, after=after
        )
        await self._send_frame(events.messages(items, has_more))

    async def on_read(self, content):
        seq = self._int(content, "seq", minimum=0)
        await database_sync_to_async(services.read_marker_set)(
            project_id=self.project_id, user=self.user, seq=seq
        )

    async def on_typing(self, content):
        loop = asyncio.get_running_loop()
        # Throttled: one typing event per person and socket every TYPING_INTERVAL seconds.
        if loop.time() - self.last_typing < TYPING_INTERVAL:
            return
        self.last_typing = loop.time()
        await self._group_send(events.layer_typing(self.user_info))

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

    async def chat_layer_down(self, event):
        if self.ready:
            await self._error("unavailable", _("The chat is unavailable; reconnecting."))
        self.ready = False
        await self.close(code=CLOSE_TRY_AGAIN)

    async def _revoked(self):
        await self._error("forbidden", _("You no longer have access to this chat."))
        if self.ready:
            self.ready = False
            await self._presence("leave")
        await self.close(code=CLOSE_FORBIDDEN)
