"""Per-user message rate limit: at most ``CHAT_RATE_LIMIT_COUNT`` sends per
``CHAT_RATE_LIMIT_SECONDS`` (a sliding window), shared by every server process through Redis
when ``REDIS_URL`` is set, in this process's memory otherwise.

If Redis does not answer, the limit falls back to this process's memory rather than refusing
every message: the database, not Redis, decides whether a message is stored.
"""

import logging
import time
import uuid
import weakref
from collections import deque

from django.conf import settings

from . import redis_clients

logger = logging.getLogger(__name__)

# KEYS: the user's window (zset); ARGV: now, window seconds, limit, member
_SCRIPT = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
return 1
"""

_memory = {}
_scripts = weakref.WeakKeyDictionary()


def _limits():
    return int(settings.CHAT_RATE_LIMIT_COUNT), float(settings.CHAT_RATE_LIMIT_SECONDS)


def _memory_hit(user_id, now, limit, window):
    hits = _memory.setdefault(user_id, deque())
    while hits and hits[0] <= now - window:
        hits.popleft()
    if len(hits) >= limit:
        return False
    hits.append(now)
    return True


async def hit(user_id):
    """Count one message by ``user_id``; False when it is over the limit (nothing counted)."""
    limit, window = _limits()
    now = time.time()
    if redis_clients.enabled():
        try:
            client = redis_clients.async_client()
            script = _scripts.get(client)
            if script is None:
                script = _scripts[client] = client.register_script(_SCRIPT)
            allowed = await script(
                keys=[f"chat:rate:{int(user_id)}"], args=[now, window, limit, uuid.uuid4().hex]
            )
            return bool(allowed)
        except redis_clients.ERRORS as exc:
            logger.warning("chat rate limit: Redis unavailable (%s), limiting locally", exc)
    return _memory_hit(user_id, now, limit, window)


def reset():
    """Forget the in-memory windows (tests)."""
    _memory.clear()
