"""Project chat over websockets against real daphne processes (issue 5, "Benchmark").

    DATABASE_URL=postgres://…/cluster_chatbench REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python -m bench.chat [--quick] [--step-seconds 10] [--rates 50,100,150,200,300]

Prepares the database named by DATABASE_URL (created if missing, migrated; ``--recreate``
drops it first), builds 200 users, one organization and 21 projects through the services
(20 rooms of 10 team members, one room of all 200), signs every user in server-side (a real
session row) and connects clients with that session cookie and an allowed Origin. Then:

1. open-loop ramp over 20 rooms × 10 clients, stopping at the first step whose p99 exceeds
   100 ms or that loses a message;
2. send-to-receive latency at 50 messages/s with the same 200 clients;
3. full-delivery latency (the last of the 200 members to receive) in one room at 5 messages/s;
4. a fresh server's RSS and CPU with 1,000 idle sockets (``/proc/<pid>/status``, ``stat``);
5. two processes: each room's clients split over both, 50 messages/s.

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
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import BASE_DIR, HOST, daphne, setup_django

USERS = 200
ROOMS = 20
ROOM_SIZE = USERS // ROOMS
PREFIX = "chatbench"
SERVER_ENV = {"CHAT_RATE_LIMIT_COUNT": 1_000_000, "PAGECACHE_ENABLED": 0}
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
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )


def build_data():
    """Users, one organization, 21 projects and their teams; idempotent (found by name)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.test import Client

    from partners.models import PartnerPage
    from partners.services import membership_add, organization_apply, organization_approve
    from projects.models import ProjectPage
    from projects.services import project_approve, project_propose, team_add

    User = get_user_model()
    password = make_password("chat-bench")
    names = [f"{PREFIX}-{i:04d}" for i in range(USERS)]
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
    for user in users[1:]:
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
    big = project("Chat bench big room", users)
    cookies = {}
    for user in users:
        client = Client()
        client.force_login(user)  # a real server-side session, as after signing in
        cookies[user.pk] = client.cookies["sessionid"].value
    room_members = [
        [u.pk for u in users[r * ROOM_SIZE : (r + 1) * ROOM_SIZE]] for r in range(ROOMS)
    ]
    return rooms, room_members, big, [u.pk for u in users], cookies


def stored_client_ids(client_ids):
    from chat.models import Message

    found = set()
    ids = list(client_ids)
    for start in range(0, len(ids), 5000):
        found.update(
            Message.objects.filter(client_id__in=ids[start : start + 5000]).values_list(
                "client_id", flat=True
            )
        )
    return found


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

    async def open(self):
        from websockets.asyncio.client import connect

        url = (
            f"ws://{HOST}:{self.server.url.rsplit(':', 1)[1]}/ws/projects/{self.project_id}/chat/"
        )
        self.socket = await connect(
            url,
            origin=self.server.url,
            additional_headers={"Cookie": f"sessionid={self.cookie}"},
            open_timeout=30,
            max_size=2**22,
            ping_interval=None,
        )
        hello = json.loads(await asyncio.wait_for(self.socket.recv(), 30))
        if hello.get("type") != "hello":
            raise RuntimeError(f"expected hello, got {hello}")
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def _read(self):
        async for raw in self.socket:
            now = self.last_frame = time.perf_counter()
            frame = json.loads(raw)
            run = self.run
            if run is None:
                continue
            kind = frame.get("type")
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


async def connect_all(clients, parallel=25):
    gate = asyncio.Semaphore(parallel)

    async def one(client):
        async with gate:
            await client.open()

    await asyncio.gather(*(one(c) for c in clients))
    await settle(clients)
    return clients


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


async def drive(clients, rate, seconds, room_sizes, drain=5.0):
    """Open loop: ``rate`` sends per second for ``seconds``, senders round-robin; then drain."""
    run = Run()
    for client in clients:
        client.run, client.seen = run, set()
    senders = sorted(clients, key=lambda c: (c.user_id % ROOM_SIZE, c.room))
    total = int(rate * seconds)
    started = time.perf_counter()
    for k in range(total):
        delay = started + k / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        await senders[k % len(senders)].send(run)
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


async def measured(clients, rate, seconds, sizes, drain):
    run = await drive(clients, rate, seconds, sizes, drain)
    stored = await asyncio.to_thread(stored_client_ids, run.sent)
    return run, summarize(run, sizes, stored)


def cpu_note(server, cpu0, run):
    return f"  server CPU {(server.cpu_seconds() - cpu0) / run.elapsed * 100:.0f} %"


# --- process figures -----------------------------------------------------------------------


def rss_kb(pid):
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1])
    return 0


# --- phases --------------------------------------------------------------------------------


async def phases(args, data):
    rooms, members, big, all_users, cookies = data
    sizes = [ROOM_SIZE] * ROOMS
    results = {}

    def want(name):
        return not args.only or name in args.only

    with ExitStack() as stack:
        server = stack.enter_context(daphne(cpus=SERVER_CPUS, **SERVER_ENV))
        clients = await connect_all(make_clients([server], rooms, members, cookies))
        await measured(clients, 20, 1, sizes, 3)  # warm-up: pools, caches, JIT-free paths
        await ramp_and_latency(args, server, clients, sizes, results, want)
        await asyncio.gather(*(c.close() for c in clients))
        if want("big"):
            await big_room(args, server, big, all_users, cookies, results)
    if want("idle"):
        await idle_sockets(args, rooms, members, cookies, results)
    if want("cross"):
        await cross_process(args, rooms, members, cookies, sizes, results)
    return results


async def ramp_and_latency(args, server, clients, sizes, results, want):
    if want("ramp"):
        print(f"\n(1) ramp, 20 rooms × 10 clients, {args.step_seconds:g} s per step", flush=True)
        best = None
        for rate in args.rates:
            cpu0 = server.cpu_seconds()
            run, s = await measured(clients, rate, args.step_seconds, sizes, args.drain)
            cpu = (server.cpu_seconds() - cpu0) / run.elapsed * 100
            rate_done = s["stored"] / run.elapsed
            line(f"  {rate} msg/s", s, f"  server CPU {cpu:.0f} %  ({rate_done:.0f} stored/s)")
            ok = s["p99"] <= 100 and s["lost"] == 0 and s["acked"] == s["sent"]
            if not ok:
                break
            best = rate
        results["ramp"] = best
        print(f"  => highest step with p99 ≤ 100 ms and zero loss: {best} msg/s", flush=True)

    if want("latency"):
        print(f"\n(2) 50 msg/s, 200 clients, {args.latency_seconds:g} s", flush=True)
        cpu0 = server.cpu_seconds()
        run, s = await measured(clients, 50, args.latency_seconds, sizes, args.drain)
        line("  50 msg/s", s, cpu_note(server, cpu0, run))
        results["latency"] = s


async def big_room(args, server, big, all_users, cookies, results):
    print(f"\n(3) one room of 200 members, 5 msg/s, {args.big_seconds:g} s", flush=True)
    big_clients = await connect_all(make_clients([server], [big], [all_users], cookies))
    cpu0 = server.cpu_seconds()
    run, s = await measured(big_clients, 5, args.big_seconds, [USERS], args.drain)
    line("  big room", s, cpu_note(server, cpu0, run))
    results["big"] = s
    await asyncio.gather(*(c.close() for c in big_clients))


async def idle_sockets(args, rooms, members, cookies, results):
    print(f"\n(4) 1,000 idle sockets on a fresh server, {args.idle_seconds:g} s", flush=True)
    with daphne(cpus=SERVER_CPUS, **SERVER_ENV) as server:
        await asyncio.sleep(1)
        rss0 = rss_kb(server.pid)
        cpu0 = server.cpu_seconds()
        t0 = time.perf_counter()
        await asyncio.sleep(args.idle_seconds)
        base_cpu = (server.cpu_seconds() - cpu0) / (time.perf_counter() - t0) * 100
        idle = await connect_all(make_clients([server], rooms, members, cookies, copies=5))
        await asyncio.sleep(2)
        rss1 = rss_kb(server.pid)
        cpu0 = server.cpu_seconds()
        t0 = time.perf_counter()
        await asyncio.sleep(args.idle_seconds)
        cpu = (server.cpu_seconds() - cpu0) / (time.perf_counter() - t0) * 100
        print(
            f"  RSS {rss0 / 1024:.1f} MB -> {rss1 / 1024:.1f} MB with {len(idle)} sockets "
            f"(+{(rss1 - rss0) / 1024:.1f} MB); "
            f"CPU idle {base_cpu:.2f} % -> {cpu:.2f} % of a core",
            flush=True,
        )
        results["idle"] = (len(idle), rss0, rss1, base_cpu, cpu)
        await asyncio.gather(*(c.close() for c in idle))


async def cross_process(args, rooms, members, cookies, sizes, results):
    print(f"\n(5) two processes, rooms split over both, 50 msg/s, {args.cross_seconds:g} s")
    with daphne(cpus=SERVER_CPUS, **SERVER_ENV) as a, daphne(cpus=SERVER_CPUS, **SERVER_ENV) as b:
        clients = await connect_all(make_clients([a, b], rooms, members, cookies))
        await measured(clients, 20, 1, sizes, 3)
        run, s = await measured(clients, 50, args.cross_seconds, sizes, args.drain)
        line("  cross-process", s)
        results["cross"] = s
        await asyncio.gather(*(c.close() for c in clients))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short phases (smoke run)")
    parser.add_argument("--recreate", action="store_true", help="drop and recreate the database")
    parser.add_argument("--rates", default="50,100,150,200,300")
    parser.add_argument("--step-seconds", type=float, default=10)
    parser.add_argument("--latency-seconds", type=float, default=20)
    parser.add_argument("--big-seconds", type=float, default=20)
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--cross-seconds", type=float, default=10)
    parser.add_argument("--drain", type=float, default=5, help="max wait for stragglers, s")
    parser.add_argument(
        "--server-cpu",
        help="pin each server to this CPU (taskset) and the load generator to the others, "
        "as on the reference machine (server on one core; load, PostgreSQL, Redis on the other)",
    )
    parser.add_argument(
        "--only", help="comma-separated phases to run: ramp,latency,big,idle,cross"
    )
    args = parser.parse_args(argv)
    global SERVER_CPUS
    if args.server_cpu is not None:
        SERVER_CPUS = args.server_cpu
        others = set(range(os.cpu_count() or 1)) - {int(c) for c in args.server_cpu.split(",")}
        if others:
            os.sched_setaffinity(0, others)
    args.rates = [int(r) for r in args.rates.split(",")]
    args.only = set(args.only.split(",")) if args.only else set()
    if args.quick:
        args.step_seconds, args.latency_seconds, args.big_seconds = 3, 5, 5
        args.idle_seconds, args.cross_seconds, args.drain = 5, 3, 3
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
