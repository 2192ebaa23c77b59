"""The bell's live count: after a notification of a person's is created or read (once the
transaction commits), every open ``/ws/notifications/`` socket of theirs is told to send the
new count (``notifications.consumers.BellConsumer``).

One channel-layer group per person, named from their primary key only. The event carries no
count: each socket reads it through the bell's cache (``selectors``), so the first socket of
a person counts once and the others, on any process, read the cache; a person with no socket
open costs one publish and no query. Delivery is at most once, as everywhere on the layer: a
lost event leaves the bell as it was until the next event or page, never wrong for long.
"""

import asyncio
import logging

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

EVENT = {"type": "bell.changed"}
ERRORS = (redis.RedisError, OSError, asyncio.TimeoutError)


def bell_group(user_id):
    return f"notifications.user.{int(user_id)}"


def bell_announce(user_ids):
    """Tell these people's open sockets that their unread count changed (call after commit).

    A channel layer that cannot be reached (Redis down) is logged and skipped: the
    notification is stored, and the bell shows it on the next page."""
    layer = get_channel_layer()
    if layer is None or not user_ids:
        return

    async def announce():
        for user_id in user_ids:
            await layer.group_send(bell_group(user_id), dict(EVENT))

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        # Called from code running on an event loop's own thread (a sync library that drives
        # a loop, such as a browser automation's sync API): the publish is scheduled on it.
        task = loop.create_task(announce())
        _pending.add(task)
        task.add_done_callback(_announced)
        return
    try:
        async_to_sync(announce)()
    except ERRORS as exc:
        logger.warning("notifications: could not update the bell live (%s)", exc)


_pending = set()


def _announced(task):
    _pending.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.warning("notifications: could not update the bell live (%s)", task.exception())
