"""Shared benchmark machinery: a daphne server on a free loopback port, a bounded load run.

Everything stays on 127.0.0.1. A run sends a fixed number of requests (never open-ended) from a
few client threads over keep-alive connections and reports requests/s and p50/p95/p99.
The client runs on the same machine as the server, so absolute figures include its own CPU use;
compare figures taken the same way.
"""

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def setup_django(settings_module="bench.settings"):
    """Use the ORM in the benchmark process (to find URLs), with the server's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A running server: its base URL and the CPU time its process has used so far."""

    def __init__(self, url, pid):
        self.url, self.pid = url, pid

    def cpu_seconds(self):
        """User + system CPU of the server process (Linux /proc), immune to other load."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def daphne(settings_module="bench.settings", cpus=None, **extra_env):
    """Start ``daphne`` on a free loopback port; yield a ``Server``; stop it afterwards.

    ``cpus`` (e.g. ``"0"``) pins the server to those CPUs with ``taskset``.
    """
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONUNBUFFERED": "1",
        **{k: str(v) for k, v in extra_env.items()},
    }
    log_path = BASE_DIR / f".bench-daphne-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                *(["taskset", "-c", cpus] if cpus else []),
                sys.executable,
                "-m",
                "daphne",
                "-b",
                HOST,
                "-p",
                str(port),
                "cluster.asgi:application",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"daphne exited: {log_path.read_text()[-3000:]}")
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("daphne did not start") from None
                    time.sleep(0.2)
            yield Server(url, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
    log_path.unlink(missing_ok=True)


@dataclass
class Result:
    label: str
    latencies: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    elapsed: float = 0.0
    server_cpu: float = float("nan")

    @property
    def count(self):
        return len(self.latencies)

    @property
    def rps(self):
        return self.count / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_ms(self):
        return self.server_cpu / self.count * 1000 if self.count else float("nan")

    def percentile(self, p):
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    def row(self):
        return {
            "page": self.label,
            "req/s": f"{self.rps:.1f}",
            "p50 ms": f"{self.percentile(50):.1f}",
            "p95 ms": f"{self.percentile(95):.1f}",
            "p99 ms": f"{self.percentile(99):.1f}",
            "server CPU ms/req": f"{self.cpu_ms:.2f}",
            "statuses": ",".join(f"{k}×{v}" for k, v in sorted(self.statuses.items())),
            "cache": ",".join(f"{k}×{v}" for k, v in sorted(self.cache.items())) or "-",
        }


def load(server, path, *, requests=300, concurrency=8, warmup=10, headers=None, label=None):
    """GET ``path`` ``requests`` times from ``concurrency`` threads; return a ``Result``."""
    host, port = server.url.removeprefix("http://").split(":")
    if host != HOST:
        raise ValueError("benchmarks run against loopback only")
    headers = {"Accept-Language": "en", **(headers or {})}
    result = Result(label or path)
    lock = threading.Lock()
    remaining = [requests]

    def take():
        with lock:
            if remaining[0] <= 0:
                return False
            remaining[0] -= 1
            return True

    def one(conn):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - started, response.status, response.getheader("X-Page-Cache")

    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    for _ in range(warmup):
        one(conn)
    conn.close()

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        local = []
        while take():
            try:
                local.append(one(conn))
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                local.append((float("nan"), "error", None))
        conn.close()
        with lock:
            for latency, status, cache in local:
                if latency == latency:  # not NaN
                    result.latencies.append(latency)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                key = cache or "none"
                result.cache[key] = result.cache.get(key, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    result.server_cpu = server.cpu_seconds() - cpu_before
    return result


def print_table(rows, out=sys.stdout):
    if not rows:
        return
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    out.write("| " + " | ".join(c.ljust(widths[c]) for c in columns) + " |\n")
    out.write("|" + "|".join("-" * (widths[c] + 2) for c in columns) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(str(row[c]).ljust(widths[c]) for c in columns) + " |\n")


def median_ms(values):
    return statistics.median(values) * 1000 if values else float("nan")


def load_average():
    """The machine's 1/5/15-minute load average, to print beside figures on a shared machine."""
    return "load average " + " / ".join(f"{value:.2f}" for value in os.getloadavg())


def login(server, username, password):
    """Sign in over HTTP like a browser (GET the form, POST it with its CSRF token); return
    the ``Cookie`` header value of the signed-in session."""
    host, port = server.url.removeprefix("http://").split(":")
    if host != HOST:
        raise ValueError("benchmarks run against loopback only")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    jar = SimpleCookie()
    try:
        conn.request("GET", "/accounts/login/", headers={"Accept-Language": "en"})
        response = conn.getresponse()
        html = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if token is None or "csrftoken" not in jar:
            raise RuntimeError("the login form has no CSRF token")
        body = urlencode(
            {"login": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        conn.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={jar['csrftoken'].value}",
                "Origin": server.url,
                "Referer": f"{server.url}/accounts/login/",
                "Accept-Language": "en",
            },
        )
        response = conn.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    finally:
        conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"could not sign in as {username} (HTTP {response.status})")
    return "; ".join(f"{name}={jar[name].value}" for name in ("sessionid", "csrftoken"))
