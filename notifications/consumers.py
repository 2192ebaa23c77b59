"""The bell's websocket at /ws/notifications/: the signed-in person's unread count, live.

Not the chat's socket (CHAT_PROTOCOL.md is a contract and gets no new frames): a socket of its
own, opened by every signed-in page (``static/js/bell.js``), which only ever receives

    {"type": "unread", "count": 3}

once when it opens and again whenever a notification of the person's is created or read.
Anything a client sends is ignored. A visitor is accepted, then closed with 4401 (a close code
only reaches a client after the handshake), as the chat does; the Origin check is the site's
(``SiteOriginValidator`` in ``cluster.asgi``) and the person is the session's.
"""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

from core.dbthreads import db

from .live import ERRORS, bell_group
from .selectors import notification_unread_count_cached

CLOSE_UNAUTHENTICATED = 4401
# The channel layer failed: a normal close; the page keeps the count it was rendered with.
CLOSE_UNAVAILABLE = 1000


def _unread(user):
    return notification_unread_count_cached(user=user)


class BellConsumer(AsyncWebsocketConsumer):
    """One socket of one signed-in person, in the group ``notifications.user.<pk>``.

    Async, like the chat's, because every signed-in page holds one open and idle; the count is
    read off the event loop (``core.dbthreads.db``) from the bell's cache (one COUNT when it is
    cold), so an event costs a cache read per socket. The group name comes from the session's user
    primary key, never from anything the client sends: one person can only ever hear their
    own count."""

    group = None

    async def connect(self):
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        try:
            await self.channel_layer.group_add(bell_group(user.pk), self.channel_name)
        except ERRORS:
            await self.close(code=CLOSE_UNAVAILABLE)
            return
        self.group = bell_group(user.pk)
        await self._send_count()

    async def disconnect(self, code):
        if self.group is not None:
            try:
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except ERRORS:
                pass  # the layer forgets a closed connection's subscriptions itself

    async def receive(self, text_data=None, bytes_data=None):
        """Clients have nothing to say on this socket."""

    async def bell_changed(self, event):
        await self._send_count()

    async def _send_count(self):
        count = await db(_unread)(self.user)
        await self.send_json({"type": "unread", "count": count})

    async def send_json(self, content):
        await self.send(text_data=json.dumps(content))
