"""A protocol client for live daphne processes, doing what static/js/chat.js does.

It keeps messages by seq, syncs after a reconnect or a gap, and resends its unacknowledged
messages with the same client_id, so tests can check "nothing lost, nothing doubled" exactly
as a browser would experience it.
"""

import asyncio
import json
import random
import threading
import time
import uuid

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus


class LiveClient:
    def __init__(self, name, cookie, project_id, servers):
        self.name = name
        self.cookie = cookie
        self.project_id = project_id
        self.servers = list(servers)  # DaphneServer objects, tried in turn
        self.messages = {}
        self.outbox = {}
        self.acked = set()
        self.errors = []
        self.online = []
        self.typing = []
        self.hello = None
        self.socket = None
        self.server = None
        self.close_code = None
        self.syncing = False

    # --- connection ----------------------------------------------------------------------

    async def open(self, server=None, timeout=10):
        """Connect (to ``server`` or the first that answers), read hello, sync, resend."""
        deadline = time.monotonic() + timeout
        attempt = 0
        candidates = [server] if server else self.servers
        while True:
            for candidate in candidates:
                try:
                    await self._open_one(candidate)
                    return self
                except (OSError, InvalidHandshake, InvalidStatus, ConnectionClosed, TimeoutError):
                    self.socket = None
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} could not reconnect")
            # Full jitter, capped low for tests.
            await asyncio.sleep(random.uniform(0, min(1.0, 0.1 * 2**attempt)))
            attempt += 1

    async def _open_one(self, server):
        url = f"{server.ws_url}/ws/projects/{self.project_id}/chat/"
        socket = await connect(
            url,
            origin=server.url,
            additional_headers={"Cookie": f"sessionid={self.cookie}"},
            open_timeout=5,
            max_size=2**22,
        )
        try:
            frame = json.loads(await asyncio.wait_for(socket.recv(), 5))
        except BaseException:
            await socket.close()
            raise
        if frame.get("type") != "hello":
            await socket.close()
            raise ConnectionClosed(None, None)
        self.socket, self.server, self.close_code = socket, server, None
        had = self.highest()
        self.hello = frame
        self.online = frame["online"]
        self._merge(frame["messages"])
        if had < frame["last_seq"]:
            await self.request_sync(had)
        for client_id, body in list(self.outbox.items()):
            await self._raw_send({"type": "message.send", "body": body, "client_id": client_id})

    async def close(self):
        if self.socket is not None:
            await self.socket.close()
            self.socket = None

    # --- sending -------------------------------------------------------------------------

    async def _raw_send(self, frame):
        if self.socket is None:
            return False
        try:
            await self.socket.send(json.dumps(frame))
            return True
        except ConnectionClosed:
            self.socket = None
            return False

    async def send(self, body, client_id=None):
        client_id = client_id or uuid.uuid4().hex
        self.outbox[client_id] = body
        await self._raw_send({"type": "message.send", "body": body, "client_id": client_id})
        return client_id

    async def request_sync(self, after):
        if not self.syncing and await self._raw_send({"type": "sync", "after": after}):
            self.syncing = True

    # --- receiving -----------------------------------------------------------------------

    def highest(self):
        return max(self.messages, default=0)

    def _merge(self, items):
        for message in items:
            known = self.messages.get(message["seq"])
            if (
                known is None
                or message["deleted"]
                or (message["edited_at"] or "") > (known["edited_at"] or "")
            ):
                self.messages[message["seq"]] = message
            if message["author"] and message["author"]["id"] == self.hello["user"]["id"]:
                if message["client_id"] in self.outbox:
                    del self.outbox[message["client_id"]]
                    self.acked.add(message["client_id"])

    async def handle(self, frame):
        kind = frame["type"]
        if kind == "message.new":
            highest = self.highest()
            self._merge([frame["message"]])
            if frame["message"]["seq"] > highest + 1:
                await self.request_sync(highest)
        elif kind == "message.updated":
            self._merge([frame["message"]])
        elif kind == "messages":
            self.syncing = False
            self._merge(frame["messages"])
            if frame["has_more"]:
                await self.request_sync(self.highest())
        elif kind == "presence":
            self.online = frame["online"]
        elif kind == "typing":
            self.typing.append(frame["user"])
        elif kind == "error":
            self.errors.append(frame)

    async def pump(self, until, timeout=10, reconnect=True):
        """Read frames (reconnecting if asked) until ``until(self)`` is true."""
        deadline = time.monotonic() + timeout
        while not until(self):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"{self.name}: condition not met; seqs={sorted(self.messages)} "
                    f"outbox={list(self.outbox)} errors={self.errors[-3:]} online={self.online}"
                )
            if self.socket is None:
                if not reconnect:
                    raise AssertionError(f"{self.name}: disconnected ({self.close_code})")
                await self.open(timeout=left)
                continue
            try:
                raw = await asyncio.wait_for(self.socket.recv(), min(left, 0.5))
            except TimeoutError:
                continue
            except ConnectionClosed as closed:
                self.close_code = closed.rcvd.code if closed.rcvd else None
                self.socket = None
                self.syncing = False
                continue
            await self.handle(json.loads(raw))
        return self

    def online_ids(self):
        return sorted(user["id"] for user in self.online)

    def view(self):
        """(seq, body, deleted) of every message held, in order."""
        return [(m["seq"], m["body"], m["deleted"]) for _, m in sorted(self.messages.items())]


class LoopThread:
    """An event loop in a thread of its own, for sync tests that drive async clients.

    The thread never has another loop running in it (the browser tests' Playwright keeps one
    in the main thread), and one loop can serve several phases of a test.
    """

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout=180):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def run(coro, timeout=180):
    """Run one coroutine to completion on a fresh loop in its own thread."""
    runner = LoopThread()
    try:
        return runner.run(coro, timeout)
    finally:
        runner.close()
