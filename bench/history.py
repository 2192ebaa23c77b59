"""Chat ``history`` and ``sync`` over the websocket: 100,000 messages against 100.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python -m bench.history [--frames 300]

Needs the scale data set (``manage.py seed_scale``): project ``scale-chat-benchmark`` holds the
long chat; the small room is the chat room whose ``last_seq`` is closest to 100. One daphne
process (page cache off, chat rate limit raised); for each room its coordinator signs in over
HTTP and opens the project's chat socket with that session cookie and an allowed Origin. Then,
one frame at a time (the next is sent when the answer has arrived), ``--frames`` of each:

- ``history``: ``{"type": "history", "before": B, "limit": 50}`` with B drawn at random over
  the whole chat (50 messages back);
- ``sync``: ``{"type": "sync", "after": A}`` with A drawn at random so that a full page (100
  messages) comes back; in the small room that is ``after: 0``.

Latency is send → the ``messages`` answer, measured by the client on the same machine; server
CPU per frame comes from ``/proc``. Everything stays on 127.0.0.1 and every loop is bounded.
"""

import argparse
import asyncio
import json
import random
import statistics
import time

from bench.common import HOST, daphne, load_average, login, print_table, setup_django

HISTORY_LIMIT = 50
SYNC_PAGE = 100  # chat.selectors.SYNC_PAGE: what one sync answers at most


def rooms():
    from django.db.models import F, Func

    from chat.models import ChatRoom
    from projects.models import ProjectPage, TeamMembership
    from scale.seed import BENCH_PROJECT_SLUG

    big = ProjectPage.objects.filter(slug=BENCH_PROJECT_SLUG).first()
    if big is None:
        raise SystemExit("No scale data set: run `manage.py seed_scale` first.")
    small = (
        ChatRoom.objects.exclude(project=big)
        .filter(last_seq__gte=SYNC_PAGE)
        .annotate(distance=Func(F("last_seq") - 100, function="ABS"))
        .order_by("distance", "project_id")
        .first()
    )
    found = []
    for project_id in (big.pk, small.project_id):
        room = ChatRoom.objects.get(project_id=project_id)
        coordinator = (
            TeamMembership.objects.filter(project_id=project_id, is_coordinator=True)
            .select_related("user")
            .first()
        )
        found.append((project_id, room.last_seq, coordinator.user.username))
    return found


async def measure(server, project_id, last_seq, cookie, frames, seed):
    from websockets.asyncio.client import connect

    port = server.url.rsplit(":", 1)[1]
    rng = random.Random(seed)
    async with connect(
        f"ws://{HOST}:{port}/ws/projects/{project_id}/chat/",
        origin=server.url,
        additional_headers={"Cookie": cookie},
        open_timeout=30,
        max_size=2**24,
        ping_interval=None,
    ) as socket:
        hello = json.loads(await asyncio.wait_for(socket.recv(), 30))
        if hello.get("type") != "hello":
            raise RuntimeError(f"expected hello, got {hello}")

        async def ask(frame, expected):
            started = time.perf_counter()
            await socket.send(json.dumps(frame))
            deadline = started + 30
            while True:
                answer = json.loads(await asyncio.wait_for(socket.recv(), 30))
                if answer.get("type") == "messages":
                    break
                if answer.get("type") == "error" or time.perf_counter() > deadline:
                    raise RuntimeError(f"{frame} answered {answer}")
            elapsed = time.perf_counter() - started
            if len(answer["messages"]) != expected:
                raise RuntimeError(f"{frame}: {len(answer['messages'])} messages, not {expected}")
            return elapsed

        results = {}
        for kind in ("history", "sync"):
            for _ in range(10):  # warm-up: connections in the pool, code paths
                await ask({"type": "history", "before": last_seq + 1, "limit": 50}, 50)
            cpu_before = server.cpu_seconds()
            latencies = []
            for _ in range(frames):
                if kind == "history":
                    before = rng.randint(HISTORY_LIMIT + 1, last_seq + 1)
                    frame = {"type": "history", "before": before, "limit": HISTORY_LIMIT}
                    latencies.append(await ask(frame, HISTORY_LIMIT))
                else:
                    after = rng.randint(0, last_seq - SYNC_PAGE)
                    latencies.append(await ask({"type": "sync", "after": after}, SYNC_PAGE))
            cpu = server.cpu_seconds() - cpu_before
            results[kind] = (latencies, cpu)
        return results


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args(argv)
    setup_django()
    from scale.seed import PASSWORD

    found = rooms()
    print(f"start: {load_average()}", flush=True)
    measured = {}
    with daphne(PAGECACHE_ENABLED=0, CHAT_RATE_LIMIT_COUNT=1_000_000) as server:
        for project_id, last_seq, username in found:
            cookie = login(server, username, PASSWORD)
            measured[last_seq] = asyncio.run(
                measure(server, project_id, last_seq, cookie, args.frames, seed=project_id)
            )
    rows = []
    for last_seq, results in measured.items():
        for kind, (latencies, cpu) in results.items():
            rows.append(
                {
                    "room": f"{last_seq:,} messages",
                    "frame": kind,
                    "frames": len(latencies),
                    "mean ms": f"{statistics.fmean(latencies) * 1000:.2f}",
                    "p50 ms": f"{percentile(latencies, 50):.2f}",
                    "p95 ms": f"{percentile(latencies, 95):.2f}",
                    "p99 ms": f"{percentile(latencies, 99):.2f}",
                    "server CPU ms/frame": f"{cpu / len(latencies) * 1000:.2f}",
                }
            )
    print_table(rows)
    (big, big_results), (small, small_results) = measured.items()
    for kind in ("history", "sync"):
        ratio = statistics.median(big_results[kind][0]) / statistics.median(small_results[kind][0])
        cpu_ratio = big_results[kind][1] / small_results[kind][1]
        print(
            f"{kind}: median at {big:,} messages / at {small:,} = {ratio:.2f}× "
            f"(server CPU {cpu_ratio:.2f}×)"
        )
    print(f"end: {load_average()}")


if __name__ == "__main__":
    main()
