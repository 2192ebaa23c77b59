"""Project chat over websockets against real daphne processes, side by side with the floor
(issue 5, "Benchmark"; issue 31, "Chat at the floor's pace in big rooms").

    DATABASE_URL=postgres://…/cluster_chatbench REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python -m bench.chat [--quick] [--rounds 3] [--only small,big,storm]

Prepares the database named by DATABASE_URL (created if missing, migrated; ``--recreate``
drops it first), builds 1,000 users, one organization and 22 projects through the services
(20 rooms of 10 team members, one room of the first 200, one of all 1,000), signs every user in
server-side (a real session row) and connects clients with that session cookie and an allowed
Origin.

Every shape runs against **the floor** (``bench.floor``: plain asyncio websockets, one
PostgreSQL INSERT, Redis pub/sub) and against the portal (a daphne process), one after the
other in each round, and prints portal ÷ floor:

- ``small``: 20 rooms × 10 clients, Poisson sends at ``--small-rate`` (50 msg/s);
- ``big``: 1 room × 200 at 5 msg/s, full delivery (until the last member has the frame);
- ``idle``: 1,000 idle sockets on a fresh server: RSS added, connect p50 (open → ``hello``);
- ``storm``: 200 people joining one room at once: connect p50/p99, presence frames received;
- ``thousand``: a 1,000-member room: its join storm, then Poisson sends at ``--thousand-rate``
  with full delivery;

and the portal alone: ``ramp`` (the knee: highest rate with p99 ≤ 100 ms and zero loss),
``cross`` (two processes). Sends are **open loop**: each one at its scheduled Poisson arrival
time whether or not earlier ones were answered, the sender drawn at random among the members.

A message is lost if the sender was acknowledged (its own ``message.new``) but some member of
the room never received it, or it is not in the database. The per-user rate limit is raised for
the servers (``CHAT_RATE_LIMIT_COUNT``): the load is spread over users by design, not abusive.
Everything runs on 127.0.0.1 with a bounded number of messages and bounded waits. The clients
share the machine (and one Python process) with the server, so latencies include their CPU.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import BASE_DIR, HOST, Server, daphne, free_port, setup_django

USERS = 200
THOUSAND = 1000
ROOMS = 20
ROOM_SIZE = USERS // ROOMS
PREFIX = "chatbench"
SERVER_ENV = {
    "CHAT_RATE_LIMIT_COUNT": 1_000_000,
    "PAGECACHE_ENABLED": 0,
    # Its own pub/sub channels, apart from anything else using the same Redis server.
    "CHANNEL_PREFIX": "chatbench.",
}
SERVER_CPUS = None  # --server-cpu


# --- database ------------------------------------------------------------------------------


def ensure_database(recreate):
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL database.")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    from bench.floor import CREATE_TABLE

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(CREATE_TABLE)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def build_data():
    """Users, one organization, 22 projects and their teams; idempotent (found by name)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from partners.models import PartnerPage
    from partners.services import membership_add, organization_apply, organization_approve
    from projects.models import ProjectPage
    from projects.services import project_approve, project_propose, team_add

    User = get_user_model()
    password = make_password("chat-bench")
    names = [f"{PREFIX}-{i:04d}" for i in range(THOUSAND)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=n, first_name="Bench", last_name=n[-4:], password=password)
            for n in names
            if n not in existing
        ]
    )
    users = list(User.objects.filter(username__in=names).order_by("username"))
    editor, _ = User.objects.get_or_create(username=f"{PREFIX}-editor")
    editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    coordinator = users[0]
    org = PartnerPage.objects.filter(title="Chat bench organization").first()
    if org is None:
        org = organization_apply(user=coordinator, title="Chat bench organization")
        org = organization_approve(organization=org, user=editor)
    members = set(org.memberships.values_list("user_id", flat=True))
    for user in users[1:]:
        if user.pk not in members:
            membership_add(organization=org, user=user)

    def project(title, members):
        page = ProjectPage.objects.filter(title=title).first()
        if page is None:
            page = project_propose(user=coordinator, lead_organization=org, title=title)
            page = project_approve(project=page, user=editor)
            for user in members:
                team_add(project=page, user=user, organization=org, added_by=coordinator)
        return page.pk

    rooms = [
        (project(f"Chat bench room {r:02d}", users[r * ROOM_SIZE : (r + 1) * ROOM_SIZE]))
        for r in range(ROOMS)
    ]
    big = project("Chat bench big room", users[:USERS])
    thousand = project("Chat bench thousand room", users)
    # A real server-side session per user, as after signing in (what force_login stores).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    cookies = {}
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.pk] = session.session_key
    room_members = [
        [u.pk for u in users[r * ROOM_SIZE : (r + 1) * ROOM_SIZE]] for r in range(ROOMS)
    ]
    return {
        "rooms": rooms,
        "members": room_members,
        "big": big,
        "big_members": [u.pk for u in users[:USERS]],
        "thousand": thousand,
        "thousand_members": [u.pk for u in users],
        "cookies": cookies,
    }


def stored_client_ids(client_ids, floor=False):
    from django.db import connection

    from bench.floor import TABLE
    from chat.models import Message

    found = set()
    ids = list(client_ids)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        if floor:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT client_id FROM {TABLE} WHERE client_id = ANY(%s)", [chunk])
                found.update(row[0] for row in cursor.fetchall())
        else:
            found.update(
                Message.objects.filter(client_id__in=chunk).values_list("client_id", flat=True)
            )
    return found


# --- servers -------------------------------------------------------------------------------


@contextmanager
def floor_server(cpus=None):
    """Start ``bench.floor`` on a free loopback port; yield a ``Server``; stop it afterwards."""
    port = free_port()
    log_path = BASE_DIR / f".bench-floor-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                *(["taskset", "-c", cpus] if cpus else []),
                sys.executable,
                "-m",
                "bench.floor",
                "--port",
                str(port),
            ],
            cwd=BASE_DIR,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"floor exited: {log_path.read_text()[-3000:]}")
                try:
                    socket.create_connection((HOST, port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("floor did not start") from None
                    time.sleep(0.1)
            server = Server(f"http://{HOST}:{port}", process.pid)
            server.floor = True
            yield server
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
    log_path.unlink(missing_ok=True)


@contextmanager
def server_for(target):
    if target == "floor":
        with floor_server(cpus=SERVER_CPUS) as server:
            yield server
    else:
        with daphne(cpus=SERVER_CPUS, **SERVER_ENV) as server:
            server.floor = False
            yield server


# --- clients -------------------------------------------------------------------------------


class Run:
    """What one measured phase sent and saw, by client_id."""

    def __init__(self):
        self.sent = {}  # client_id -> (perf_counter at send, room index)
        self.acked = {}  # client_id -> perf_counter of the sender's own message.new
        self.received = {}  # client_id -> list of perf_counter (one per receiving member)
        self.duplicates = 0
        self.errors = {}

    def expected(self, room_sizes):
        return {cid: room_sizes[room] for cid, (_, room) in self.sent.items()}


class Client:
    def __init__(self, server, project_id, room, cookie):
        self.server, self.project_id, self.room, self.cookie = server, project_id, room, cookie
        self.socket = None
        self.run = None
        self.seen = set()
        self.reader = None
        self.last_frame = 0.0
        self.connect_seconds = None
        self.presence_frames = 0

    async def open(self):
        from websockets.asyncio.client import connect

        port = self.server.url.rsplit(":", 1)[1]
        url = f"ws://{HOST}:{port}/ws/projects/{self.project_id}/chat/"
        if getattr(self.server, "floor", False):
            url += f"?user={self.user_id}"
        started = time.perf_counter()
        self.socket = await connect(
            url,
            origin=self.server.url,
            additional_headers={"Cookie": f"sessionid={self.cookie}"},
            open_timeout=60,
            max_size=2**22,
            ping_interval=None,
        )
        hello = json.loads(await asyncio.wait_for(self.socket.recv(), 60))
        if hello.get("type") != "hello":
            raise RuntimeError(f"expected hello, got {hello}")
        self.connect_seconds = time.perf_counter() - started
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def _read(self):
        async for raw in self.socket:
            now = self.last_frame = time.perf_counter()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "presence":
                self.presence_frames += 1
            run = self.run
            if run is None:
                continue
            if kind == "message.new":
                cid = frame["message"]["client_id"]
                if cid not in run.sent:
                    continue
                if cid in self.seen:
                    run.duplicates += 1
                    continue
                self.seen.add(cid)
                run.received.setdefault(cid, []).append(now)
                if frame["message"]["author"]["id"] == self.user_id:
                    run.acked.setdefault(cid, now)
            elif kind == "error":
                run.errors[frame.get("code")] = run.errors.get(frame.get("code"), 0) + 1

    async def send(self, run):
        cid = uuid.uuid4().hex
        run.sent[cid] = (time.perf_counter(), self.room)
        await self.socket.send(
            json.dumps({"type": "message.send", "body": "x" * 40, "client_id": cid})
        )

    async def close(self):
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            self.reader.cancel()


async def connect_all(clients, parallel=25, settle_quiet=1.0):
    gate = asyncio.Semaphore(parallel)

    async def one(client):
        async with gate:
            await client.open()

    await asyncio.gather(*(one(c) for c in clients))
    await settle(clients, quiet=settle_quiet)
    return clients


async def close_all(clients):
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


async def settle(clients, quiet=1.0, limit=60.0):
    """Wait until the presence frames of all those joins have been delivered (bounded)."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if time.perf_counter() - max(c.last_frame for c in clients) >= quiet:
            return
        await asyncio.sleep(0.1)


def make_clients(servers, rooms, members, cookies, copies=1):
    """Clients for every (room, member); member k of a room goes to server k % len(servers)."""
    clients = []
    for room, (project_id, user_ids) in enumerate(zip(rooms, members, strict=True)):
        for k, user_id in enumerate(user_ids):
            for _ in range(copies):
                client = Client(servers[k % len(servers)], project_id, room, cookies[user_id])
                client.user_id = user_id
                clients.append(client)
    return clients


async def drive(clients, rate, seconds, room_sizes, drain=5.0, seed=31):
    """Open loop: Poisson arrivals at ``rate`` per second for ``seconds`` (each send at its
    scheduled time, whatever the answers so far), each from a member drawn at random; then
    wait for the stragglers, at most ``drain`` seconds."""
    run = Run()
    for client in clients:
        client.run, client.seen = run, set()
    draw = random.Random(seed)
    started = time.perf_counter()
    at = 0.0
    while True:
        at += draw.expovariate(rate)
        if at >= seconds:
            break
        delay = started + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await draw.choice(clients).send(run)
    expected = run.expected(room_sizes)
    deadline = time.perf_counter() + drain
    while time.perf_counter() < deadline:
        if all(len(run.received.get(c, ())) >= n for c, n in expected.items()):
            break
        await asyncio.sleep(0.05)
    run.elapsed = time.perf_counter() - started
    for client in clients:
        client.run = None
    return run


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def summarize(run, room_sizes, stored):
    expected = run.expected(room_sizes)
    latencies, full = [], []
    lost = 0
    for cid, (sent_at, _) in run.sent.items():
        times = run.received.get(cid, [])
        latencies.extend(t - sent_at for t in times)
        if cid in run.acked and (len(times) < expected[cid] or cid not in stored):
            lost += 1
        if len(times) >= expected[cid]:
            full.append(max(times) - sent_at)
    persisted = sum(1 for cid in run.sent if cid in stored)
    return {
        "sent": len(run.sent),
        "acked": len(run.acked),
        "stored": persisted,
        "lost": lost,
        "dup": run.duplicates,
        "errors": ",".join(f"{k}×{v}" for k, v in sorted(run.errors.items())) or "-",
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "full p50": percentile(full, 50),
        "full p99": percentile(full, 99),
        "full max": percentile(full, 100),
    }


def line(label, s, extra=""):
    print(
        f"{label:<26} sent {s['sent']:>5}  acked {s['acked']:>5}  stored {s['stored']:>5}  "
        f"lost {s['lost']}  dup {s['dup']}  errors {s['errors']}  "
        f"latency p50/p95/p99 {s['p50']:.1f}/{s['p95']:.1f}/{s['p99']:.1f} ms  "
        f"full-delivery p50/p99/max {s['full p50']:.1f}/{s['full p99']:.1f}/{s['full max']:.1f} ms"
        f"{extra}",
        flush=True,
    )


async def measured(clients, rate, seconds, sizes, drain, floor=False):
    run = await drive(clients, rate, seconds, sizes, drain)
    stored = await asyncio.to_thread(stored_client_ids, run.sent, floor)
    return run, summarize(run, sizes, stored)


def cpu_note(server, cpu0, run):
    return f"  server CPU {(server.cpu_seconds() - cpu0) / run.elapsed * 100:.0f} %"


def cpu_per_message(server, cpu0, s):
    return (server.cpu_seconds() - cpu0) / max(1, s["stored"]) * 1000


# --- process figures -----------------------------------------------------------------------


def rss_kb(pid):
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1])
    return 0


# --- shapes, each against the floor and the portal -----------------------------------------


async def shape_small(args, data, target):
    """20 rooms × 10, Poisson at --small-rate: latency to every member, CPU per message."""
    with server_for(target) as server:
        clients = make_clients([server], data["rooms"], data["members"], data["cookies"])
        await connect_all(clients)
        sizes = [ROOM_SIZE] * ROOMS
        floor = target == "floor"
        await measured(clients, 20, 1, sizes, 3, floor)  # warm-up
        cpu0 = server.cpu_seconds()
        run, s = await measured(
            clients, args.small_rate, args.small_seconds, sizes, args.drain, floor
        )
        s["cpu ms/msg"] = cpu_per_message(server, cpu0, s)
        line(f"  {target} {args.small_rate:g} msg/s", s, f"  CPU {s['cpu ms/msg']:.2f} ms/msg")
        await close_all(clients)
    return s


async def shape_big(args, data, target):
    """1 room × 200 at --big-rate: full delivery (the last member's frame)."""
    with server_for(target) as server:
        clients = make_clients([server], [data["big"]], [data["big_members"]], data["cookies"])
        await connect_all(clients)
        floor = target == "floor"
        await measured(clients, 5, 1, [USERS], 3, floor)  # warm-up
        cpu0 = server.cpu_seconds()
        run, s = await measured(
            clients, args.big_rate, args.big_seconds, [USERS], args.drain, floor
        )
        s["cpu ms/msg"] = cpu_per_message(server, cpu0, s)
        line(f"  {target} 1×200", s, cpu_note(server, cpu0, run))
        await close_all(clients)
    return s


async def shape_idle(args, data, target):
    """1,000 idle sockets on a fresh server: RSS added and connect p50/p99."""
    with server_for(target) as server:
        await asyncio.sleep(1)
        rss0 = rss_kb(server.pid)
        clients = make_clients([server], data["rooms"], data["members"], data["cookies"], copies=5)
        await connect_all(clients)
        await asyncio.sleep(2)
        rss1 = rss_kb(server.pid)
        cpu0 = server.cpu_seconds()
        t0 = time.perf_counter()
        await asyncio.sleep(args.idle_seconds)
        cpu = (server.cpu_seconds() - cpu0) / (time.perf_counter() - t0) * 100
        times = [c.connect_seconds for c in clients]
        s = {
            "sockets": len(clients),
            "rss MB": (rss1 - rss0) / 1024,
            "kB/socket": (rss1 - rss0) / len(clients),
            "connect p50": percentile(times, 50),
            "connect p99": percentile(times, 99),
            "idle CPU %": cpu,
        }
        print(
            f"  {target}: {len(clients)} sockets, RSS {rss0 / 1024:.1f} -> {rss1 / 1024:.1f} MB "
            f"(+{s['rss MB']:.1f} MB, {s['kB/socket']:.1f} kB/socket), connect p50/p99 "
            f"{s['connect p50']:.0f}/{s['connect p99']:.0f} ms, idle CPU {cpu:.2f} %",
            flush=True,
        )
        await close_all(clients)
    return s


async def storm(server, project_id, members, cookies, label):
    """Everyone of ``members`` connects at once; connect p50/p99 and presence frames."""
    clients = make_clients([server], [project_id], [members], cookies)
    started = time.perf_counter()

    async def one(client):
        try:
            await client.open()
            return client
        except Exception as exc:  # noqa: BLE001 - a refused handshake is a figure here
            client.failure = repr(exc)[:120]
            return None

    # Failed handshakes are counted, not fatal: daphne closes a websocket whose application
    # has not accepted it within its connect timeout (5 s), which a storm can exceed.
    joined = [c for c in await asyncio.gather(*(one(c) for c in clients)) if c is not None]
    failed = len(clients) - len(joined)
    await settle(joined, quiet=2.0)
    settled = time.perf_counter() - started
    times = [c.connect_seconds for c in joined]
    frames = sum(c.presence_frames for c in joined)
    s = {
        "connect p50": percentile(times, 50),
        "connect p99": percentile(times, 99),
        "failed": failed,
        "presence frames": frames,
        "per member": frames / max(1, len(joined)),
    }
    print(
        f"  {label}: {len(clients)} joins at once, {failed} failed, connect p50/p99 "
        f"{s['connect p50']:.0f}/{s['connect p99']:.0f} ms, {frames} presence frames received "
        f"({s['per member']:.1f} per member; settled in {settled:.1f} s)",
        flush=True,
    )
    return joined, s


async def shape_storm(args, data, target):
    with server_for(target) as server:
        clients, s = await storm(
            server, data["big"], data["big_members"], data["cookies"], f"{target} 200"
        )
        await close_all(clients)
    return s


async def shape_thousand(args, data, target):
    """A 1,000-member room: its join storm, then Poisson sends with full delivery."""
    with server_for(target) as server:
        clients, st = await storm(
            server, data["thousand"], data["thousand_members"], data["cookies"], f"{target} 1,000"
        )
        floor = target == "floor"
        cpu0 = server.cpu_seconds()
        run, s = await measured(
            clients, args.thousand_rate, args.thousand_seconds, [len(clients)], args.drain, floor
        )
        line(f"  {target} 1×1,000", s, cpu_note(server, cpu0, run))
        s.update({f"join {k}": v for k, v in st.items()})
        await close_all(clients)
    return s


SHAPES = {
    "small": (shape_small, ["p50", "p99", "full p99", "cpu ms/msg"]),
    "big": (shape_big, ["full p50", "full p99", "full max", "cpu ms/msg"]),
    "idle": (shape_idle, ["rss MB", "kB/socket", "connect p50", "connect p99"]),
    "storm": (shape_storm, ["connect p50", "connect p99", "failed", "presence frames"]),
    "thousand": (
        shape_thousand,
        ["join connect p50", "join connect p99", "join failed", "full p50", "full p99"],
    ),
}


def ratio_line(name, keys, floor, portal):
    cells = []
    for key in keys:
        f, p = floor.get(key), portal.get(key)
        if f and p == p and f == f:
            cells.append(f"{key} {f:.1f} vs {p:.1f} ({p / f:.1f}×)")
        else:
            cells.append(f"{key} {f} vs {p}")
    print(f"  => {name}, floor vs portal: " + "; ".join(cells), flush=True)


# --- the portal alone ----------------------------------------------------------------------


async def ramp(args, data, results):
    print(f"\n(ramp) 20 rooms × 10 clients, Poisson, {args.step_seconds:g} s per step", flush=True)
    sizes = [ROOM_SIZE] * ROOMS
    with server_for("portal") as server:
        clients = make_clients([server], data["rooms"], data["members"], data["cookies"])
        await connect_all(clients)
        await measured(clients, 20, 1, sizes, 3)
        best = None
        for rate in args.rates:
            cpu0 = server.cpu_seconds()
            run, s = await measured(clients, rate, args.step_seconds, sizes, args.drain)
            cpu = (server.cpu_seconds() - cpu0) / run.elapsed * 100
            rate_done = s["stored"] / run.elapsed
            line(f"  {rate} msg/s", s, f"  server CPU {cpu:.0f} %  ({rate_done:.0f} stored/s)")
            if not (s["p99"] <= 100 and s["lost"] == 0 and s["acked"] == s["sent"]):
                break
            best = rate
        await close_all(clients)
    results["ramp"] = best
    print(f"  => highest step with p99 ≤ 100 ms and zero loss: {best} msg/s", flush=True)


async def cross_process(args, data, results):
    print(f"\n(cross) two processes, rooms split over both, 50 msg/s, {args.cross_seconds:g} s")
    sizes = [ROOM_SIZE] * ROOMS
    with ExitStack() as stack:
        a = stack.enter_context(server_for("portal"))
        b = stack.enter_context(server_for("portal"))
        clients = make_clients([a, b], data["rooms"], data["members"], data["cookies"])
        await connect_all(clients)
        await measured(clients, 20, 1, sizes, 3)
        run, s = await measured(clients, 50, args.cross_seconds, sizes, args.drain)
        line("  cross-process", s)
        results["cross"] = s
        await close_all(clients)


async def phases(args, data):
    results = {}
    for name, (shape, keys) in SHAPES.items():
        if name not in args.only:
            continue
        for round_no in range(1, args.rounds + 1):
            print(f"\n({name}) round {round_no}/{args.rounds}", flush=True)
            pair = {}
            # Alternate which goes first, so neither always gets the quieter minute.
            order = ("floor", "portal") if round_no % 2 else ("portal", "floor")
            for target in order:
                pair[target] = await shape(args, data, target)
            ratio_line(name, keys, pair["floor"], pair["portal"])
            results.setdefault(name, []).append(pair)
    if "ramp" in args.only:
        await ramp(args, data, results)
    if "cross" in args.only:
        await cross_process(args, data, results)
    for name, rounds in results.items():
        if name in SHAPES and len(rounds) > 1:
            keys = SHAPES[name][1]
            med = {
                t: {k: statistics.median(r[t][k] for r in rounds) for k in keys}
                for t in ("floor", "portal")
            }
            ratio_line(
                f"{name}, median of {len(rounds)} rounds", keys, med["floor"], med["portal"]
            )
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short phases (smoke run)")
    parser.add_argument("--recreate", action="store_true", help="drop and recreate the database")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of each shape")
    parser.add_argument("--rates", default="50,100,150,200,300,400,500")
    parser.add_argument("--step-seconds", type=float, default=10)
    parser.add_argument("--small-rate", type=float, default=50)
    parser.add_argument("--small-seconds", type=float, default=20)
    parser.add_argument("--big-rate", type=float, default=5)
    parser.add_argument("--big-seconds", type=float, default=20)
    parser.add_argument("--thousand-rate", type=float, default=2)
    parser.add_argument("--thousand-seconds", type=float, default=20)
    parser.add_argument("--idle-seconds", type=float, default=10)
    parser.add_argument("--cross-seconds", type=float, default=10)
    parser.add_argument("--drain", type=float, default=5, help="max wait for stragglers, s")
    parser.add_argument(
        "--server-cpu",
        help="pin each server to this CPU (taskset) and the load generator to the others, "
        "as on the reference machine (server on one core; load, PostgreSQL, Redis on the other)",
    )
    parser.add_argument(
        "--portal-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the portal's servers, e.g. GC_FREEZE_AFTER_STARTUP=false "
        "GC_THRESHOLDS= CHAT_PRESENCE_COALESCE_SECONDS=0 to measure without this round's tuning",
    )
    parser.add_argument(
        "--only",
        default="small,big,idle,storm,thousand",
        help="comma-separated: small,big,idle,storm,thousand (floor and portal), ramp,cross "
        "(portal alone)",
    )
    args = parser.parse_args(argv)
    global SERVER_CPUS
    if args.server_cpu is not None:
        SERVER_CPUS = args.server_cpu
        others = set(range(os.cpu_count() or 1)) - {int(c) for c in args.server_cpu.split(",")}
        if others:
            os.sched_setaffinity(0, others)
    for item in args.portal_env:
        name, _, value = item.partition("=")
        SERVER_ENV[name] = value
    args.rates = [int(r) for r in args.rates.split(",")]
    args.only = set(args.only.split(","))
    if args.quick:
        args.step_seconds, args.small_seconds, args.big_seconds = 3, 5, 5
        args.thousand_seconds, args.idle_seconds, args.cross_seconds, args.drain = 5, 3, 3, 3
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL is needed: the servers share the channel layer through Redis.")
    started = time.perf_counter()
    ensure_database(args.recreate)
    setup_django()
    data = build_data()
    print(f"data ready in {time.perf_counter() - started:.1f} s", flush=True)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the DB check runs in a thread anyway
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
    asyncio.run(phases(args, data))
    load = os.getloadavg()
    print(f"\nload average at end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
