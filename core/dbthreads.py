"""Database work off the event loop for the websocket consumers (``db``).

On PostgreSQL the work runs in a few long-lived worker threads of this process, so one slow
query does not hold up every socket and each thread keeps taking its connection from
psycopg's pool (threads made per event loop would not). On SQLite (one writer) it runs in
Django's single shared thread, as ``database_sync_to_async`` does by default.

Channels' own ``AuthMiddleware`` resolves the person of every websocket in that single
shared thread, even on PostgreSQL: when hundreds of people join at once, their session
lookups queue behind each other and behind every other thread-sensitive call of the
process. ``AuthMiddleware`` here resolves them through ``db`` instead.
"""

from concurrent.futures import ThreadPoolExecutor

from channels.auth import AuthMiddleware as ChannelsAuthMiddleware
from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.db import connection

_threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ws-db")


def db(func):
    """``func`` run off the event loop (see the module's docstring)."""
    if connection.vendor == "postgresql":
        return database_sync_to_async(func, thread_sensitive=False, executor=_threads)
    return database_sync_to_async(func)


class AuthMiddleware(ChannelsAuthMiddleware):
    """Channels' ``AuthMiddleware`` (``scope["user"]`` from the session), resolved through
    ``db``."""

    async def resolve_scope(self, scope):
        scope["user"]._wrapped = await db(get_user.func)(scope)


def AuthMiddlewareStack(inner):  # noqa: N802 - named as Channels' own
    return CookieMiddleware(SessionMiddleware(AuthMiddleware(inner)))
