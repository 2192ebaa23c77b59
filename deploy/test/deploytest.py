"""The deployment test (run it with deploy/test/run, which installs and cleans up).

Starts, on free loopback ports and from Debian's programs: a Redis primary, its replica and
three Sentinels; PgBouncer in transaction mode in front of the machine's PostgreSQL; two
daphne processes with production settings; nginx with deploy/nginx/cluster.conf (its paths,
ports and certificate replaced by this run's). Then it checks pages, static files, media and a
private document through nginx, chat between the two daphne processes, and three faults under
chat load. Figures are printed; the exit status is non-zero on any loss, duplicate or failure.
"""

import asyncio
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests
import urllib3
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(os.environ["DEPLOYTEST_WORK"])
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DATABASE = "cluster_deploytest"
MASTER = "deploytest"
REUSE = os.environ.get("DEPLOYTEST_REUSE", "")
PASSWORD = "cluster-demo"
urllib3.disable_warnings()


def http():
    """A requests session for this run's loopback servers: its own certificate, no proxy."""
    session = requests.Session()
    session.verify = False
    session.trust_env = False
    return session


HTTP = http()


class Failure(Exception):
    pass


def log(text):
    print(text, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout, what, interval=0.1):
    """Poll ``condition`` until true; the seconds it took. Failure after ``timeout``."""
    start = time.monotonic()
    while True:
        try:
            if condition():
                return time.monotonic() - start
        except Exception:  # noqa: BLE001 - not yet
            pass
        if time.monotonic() - start > timeout:
            raise Failure(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


# --- processes ----------------------------------------------------------------------------


class Processes:
    def __init__(self):
        self.running = {}

    def start(self, name, argv, env=None, cwd=ROOT):
        logfile = open(WORK / f"{name}.log", "ab")  # noqa: SIM115 - kept open with the process
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        with open(WORK / "pids", "a") as pids:
            pids.write(f"{process.pid}\n")
        self.running[name] = process
        return process

    def send_signal(self, name, sig):
        process = self.running[name]
        if process.poll() is None:
            os.kill(process.pid, sig)

    def stop(self, name, sig=signal.SIGTERM, timeout=15):
        process = self.running.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def stop_all(self):
        for name in reversed(list(self.running)):
            self.stop(name, timeout=10)


PROCS = Processes()


def run(argv, env=None, what=None, timeout=900):
    result = subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise Failure(
            f"{what or argv[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


# --- the services ---------------------------------------------------------------------------


class Ports:
    def __init__(self):
        self.redis = [free_port(), free_port()]
        self.sentinels = [free_port(), free_port(), free_port()]
        self.pgbouncer = free_port()
        self.daphne = [free_port(), free_port()]
        self.https = free_port()
        self.http = free_port()


def redis_cli(port, *args):
    return subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=5,
    ).stdout.strip()


def start_redis(ports):
    binary = shutil.which("redis-server")
    for index, port in enumerate(ports.redis):
        conf = WORK / f"redis-{port}.conf"
        lines = [
            f"port {port}",
            "bind 127.0.0.1",
            f"dir {WORK}",
            'save ""',
            "appendonly no",
            f"dbfilename dump-{port}.rdb",
        ]
        if index == 1:
            lines.append(f"replicaof 127.0.0.1 {ports.redis[0]}")
        conf.write_text("\n".join(lines) + "\n")
        PROCS.start(f"redis-{index}", [binary, str(conf)])
    wait_for(lambda: redis_cli(ports.redis[0], "ping") == "PONG", 15, "the Redis primary")
    wait_for(
        lambda: "master_link_status:up" in redis_cli(ports.redis[1], "info", "replication"),
        30,
        "the Redis replica to sync",
    )
    sentinel = shutil.which("redis-sentinel") or "/usr/bin/redis-sentinel"
    for index, port in enumerate(ports.sentinels):
        conf = WORK / f"sentinel-{port}.conf"
        conf.write_text(
            f"port {port}\nbind 127.0.0.1\ndir {WORK}\n"
            f"sentinel monitor {MASTER} 127.0.0.1 {ports.redis[0]} 2\n"
            f"sentinel down-after-milliseconds {MASTER} 1000\n"
            f"sentinel failover-timeout {MASTER} 10000\n"
            f"sentinel parallel-syncs {MASTER} 1\n"
        )
        PROCS.start(f"sentinel-{index}", [sentinel, str(conf)])

    def sentinels_agree():
        for port in ports.sentinels:
            info = redis_cli(port, "sentinel", "master", MASTER)
            if "num-other-sentinels\n2" not in info or "num-slaves\n1" not in info:
                return False
        return True

    wait_for(sentinels_agree, 60, "three Sentinels to see each other and the replica")


def current_primary(ports):
    answer = redis_cli(ports.sentinels[0], "sentinel", "get-master-addr-by-name", MASTER)
    return int(answer.split()[-1]) if answer else None


def pg_user():
    for user in ("root", "postgres"):
        ok = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", user, "-d", "postgres", "-tAc", "select 1"],
            capture_output=True,
            text=True,
        )
        if ok.returncode == 0:
            return user
    raise Failure("PostgreSQL on 127.0.0.1:5432 is needed (a role root or postgres)")


def psql(user, sql, database=DATABASE):
    return run(["psql", "-h", "127.0.0.1", "-U", user, "-d", database, "-tAc", sql], what="psql")


def start_pgbouncer(ports, user):
    if not REUSE:
        run(["dropdb", "-h", "127.0.0.1", "-U", user, "--if-exists", "--force", DATABASE])
        run(["createdb", "-h", "127.0.0.1", "-U", user, DATABASE])
        # What docs/deployment.md says to do once: the planner setting the portal would
        # otherwise send in the start-up packet, which PgBouncer refuses.
        psql(user, f"alter database {DATABASE} set random_page_cost = 1.1")
    conf = WORK / "pgbouncer.ini"
    # deploy/pgbouncer/pgbouncer.ini with this run's addresses; auth "any" on loopback only.
    text = (ROOT / "deploy" / "pgbouncer" / "pgbouncer.ini").read_text()
    text = re.sub(
        r"^cluster = .*$",
        f"{DATABASE} = host=127.0.0.1 port=5432 dbname={DATABASE} user={user}",
        text,
        flags=re.M,
    )
    replacements = {
        "listen_port": str(ports.pgbouncer),
        "unix_socket_dir": "",
        "auth_type": "any",
        "auth_file": "",
        "logfile": str(WORK / "pgbouncer-own.log"),
        "pidfile": "",
        "max_client_conn": "200",
        "default_pool_size": "20",
    }
    for key, value in replacements.items():
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
    conf.write_text(text)
    start_pgbouncer_process(ports)


def start_pgbouncer_process(ports):
    # PgBouncer refuses to run as root: -u switches to an unprivileged user.
    runas = "postgres" if shutil.which("pg_ctlcluster") else "nobody"
    (WORK / "pgbouncer-own.log").touch()
    shutil.chown(WORK / "pgbouncer-own.log", runas)
    PROCS.start("pgbouncer", ["/usr/sbin/pgbouncer", "-u", runas, str(WORK / "pgbouncer.ini")])

    def answers():
        with socket.create_connection(("127.0.0.1", ports.pgbouncer), timeout=1):
            return True

    return wait_for(answers, 20, "PgBouncer")


def django_env(ports, user):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_", "DJANGO_", "MEDIA_", "CHAT_", "WORKSPACE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cluster.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_BEHIND_PROXY": "true",
            "DJANGO_MEDIA_ROOT": str(WORK / "media"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "WORKSPACE_X_ACCEL_REDIRECT": "/protected-media/",
            "DATABASE_URL": f"postgres://{user}@127.0.0.1:{ports.pgbouncer}/{DATABASE}",
            "DATABASE_PGBOUNCER": "true",
            "DATABASE_POOL_MAX": "8",
            "DATABASE_POOL_TIMEOUT": "5",
            "REDIS_SENTINELS": ",".join(f"127.0.0.1:{p}" for p in ports.sentinels),
            "REDIS_SENTINEL_MASTER": MASTER,
            "REDIS_URL": f"redis://{MASTER}/0",
            "CACHE_RETRY_SECONDS": "1",
            "HEALTHZ_TOKEN": "deploytest-healthz",
            # The load below sends faster than people type.
            "CHAT_RATE_LIMIT_COUNT": "100000",
            "CHAT_PRESENCE_HEARTBEAT_SECONDS": "2",
            "CHAT_PRESENCE_TTL_SECONDS": "6",
        }
    )
    return env


PREPARE = """
import json
from io import BytesIO
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from django.contrib.auth import get_user_model
from projects.models import ProjectPage
from workspace import services

users = {u.username: u for u in get_user_model().objects.filter(
    username__in=["coordinator", "member", "outsider"])}
project = ProjectPage.objects.get(
    slug="digital-skills-for-young-people", locale__language_code="en")
content = b"Team plan, private to the project: " + b"x" * 200_000
document = services.document_upload(
    project=project, user=users["coordinator"],
    upload=SimpleUploadedFile("team-plan.txt", content, content_type="text/plain"),
    title="Team plan")
version = document.current
buffer = BytesIO()
PILImage.new("RGB", (40, 20), (200, 30, 30)).save(buffer, "PNG")
image = Image.objects.create(title="Deployment test logo",
                             file=ImageFile(buffer, name="deploytest-logo.png"))
print(json.dumps({"project": project.pk, "document": document.pk, "version": version.pk,
                  "document_path": version.file.file.name, "image_url": image.file.url,
                  "image_size": image.file.size, "document_size": len(content)}))
"""


def prepare_site(env):
    if REUSE:
        # While working on this test: the database and media of an earlier run (kept with
        # KEEP_DEPLOYTEST=1), named by DEPLOYTEST_REUSE.
        shutil.rmtree(WORK / "media")
        shutil.copytree(Path(REUSE) / "media", WORK / "media")
        log(f"== reusing the database and media of {REUSE}")
        return json.loads((Path(REUSE) / "prepared.json").read_text())
    log("== migrate, seed_demo, collectstatic (through PgBouncer)")
    started = time.monotonic()
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, what="migrate")
    run([PYTHON, "manage.py", "seed_demo", "--force"], env=env, what="seed_demo")
    run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        what="collectstatic",
    )
    out = run([PYTHON, "manage.py", "shell", "-c", PREPARE], env=env, what="prepare")
    data = json.loads(out.strip().splitlines()[-1])
    (WORK / "prepared.json").write_text(json.dumps(data))
    log(f"   ready in {time.monotonic() - started:.0f} s: project {data['project']}")
    return data


def start_daphne(index, ports, env):
    port = ports.daphne[index]
    PROCS.start(
        f"daphne-{index}",
        [
            str(ROOT / ".venv" / "bin" / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "cluster.asgi:application",
        ],
        env=env,
    )

    def answers():
        response = HTTP.get(
            f"http://127.0.0.1:{port}/healthz",
            headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"},
            timeout=3,
        )
        return response.status_code == 200

    return wait_for(answers, 90, f"daphne {index + 1}")


def start_nginx(ports):
    certificate, key = WORK / "tls.crt", WORK / "tls.key"
    run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        what="openssl",
    )
    site = (ROOT / "deploy" / "nginx" / "cluster.conf").read_text()
    snippet = (ROOT / "deploy" / "nginx" / "cluster-proxy.conf").read_text()
    for old, new in {
        "/srv/cluster/app/": f"{ROOT}/",
        "/srv/cluster/media/": f"{WORK}/media/",
        "/etc/nginx/snippets/cluster-proxy.conf": str(WORK / "cluster-proxy.conf"),
        "/etc/letsencrypt/live/cluster.example.org/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/cluster.example.org/privkey.pem": str(key),
        "/var/log/nginx/": f"{WORK}/nginx-",
        "/var/www/html": str(WORK),
        "server 127.0.0.1:8001": f"server 127.0.0.1:{ports.daphne[0]}",
        "server 127.0.0.1:8002": f"server 127.0.0.1:{ports.daphne[1]}",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports.https} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{ports.http};",
        "server_name cluster.example.org;": "server_name 127.0.0.1;",
    }.items():
        if old not in site:
            raise Failure(f"deploy/nginx/cluster.conf no longer has {old!r}")
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (WORK / "cluster.conf").write_text(site)
    (WORK / "cluster-proxy.conf").write_text(snippet)
    (WORK / "nginx.conf").write_text(
        f"""user root;
worker_processes 2;
pid {WORK}/nginx.pid;
error_log {WORK}/nginx-main-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {WORK}/nginx-body;
    proxy_temp_path {WORK}/nginx-proxy;
    fastcgi_temp_path {WORK}/nginx-fastcgi;
    uwsgi_temp_path {WORK}/nginx-uwsgi;
    scgi_temp_path {WORK}/nginx-scgi;
    access_log off;
    include {WORK}/cluster.conf;
}}
"""
    )
    run(["/usr/sbin/nginx", "-t", "-c", str(WORK / "nginx.conf")], what="nginx -t")
    PROCS.start("nginx", ["/usr/sbin/nginx", "-c", str(WORK / "nginx.conf"), "-g", "daemon off;"])
    return wait_for(
        lambda: (
            HTTP.get(
                f"https://127.0.0.1:{ports.https}/healthz", verify=False, timeout=3
            ).status_code
            == 200
        ),
        30,
        "nginx",
    )


# --- HTTP checks ----------------------------------------------------------------------------


class Checks:
    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
            log(f"   ok    {what}")
        else:
            self.failed.append(what)
            log(f"   FAIL  {what}")


CHECKS = Checks()


def login(base, username):
    session = http()
    page = session.get(f"{base}/accounts/login/", timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/", "Origin": base},
        allow_redirects=False,
        timeout=20,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise Failure(f"signing in as {username} through nginx: {response.status_code}")
    return session


def http_checks(base, data):
    log("== through nginx: pages, static, media, a private document")
    anonymous = http()
    home = anonymous.get(f"{base}/", headers={"Accept-Encoding": "gzip"}, timeout=20)
    CHECKS.check(home.status_code == 200 and "<html" in home.text, "home page 200")
    CHECKS.check(home.headers.get("Content-Encoding") == "gzip", "HTML sent gzip-compressed")
    projects = anonymous.get(f"{base}/projects/", timeout=20)
    CHECKS.check(projects.status_code == 200, "project directory 200")
    plain = HTTP.get(f"http://127.0.0.1:{PORTS.http}/projects/", allow_redirects=False, timeout=20)
    CHECKS.check(
        plain.status_code == 301 and plain.headers["Location"].startswith("https://"),
        "plain HTTP redirected to HTTPS",
    )
    css = re.search(r'href="(/static/[^"]+\.css)"', home.text)
    CHECKS.check(css is not None, "home page links a stylesheet under /static/")
    if css:
        static = anonymous.get(f"{base}{css.group(1)}", timeout=20)
        CHECKS.check(static.status_code == 200, f"static file {css.group(1)} 200")
        CHECKS.check(
            "max-age=31536000" in static.headers.get("Cache-Control", "")
            and "immutable" in static.headers.get("Cache-Control", ""),
            "static file cached for a year, immutable",
        )
    media = anonymous.get(f"{base}{data['image_url']}", timeout=20)
    CHECKS.check(
        media.status_code == 200 and len(media.content) == data["image_size"],
        f"public media {data['image_url']} served by nginx",
    )
    raw = anonymous.get(f"{base}/media/{data['document_path']}", timeout=20)
    CHECKS.check(raw.status_code == 404, "the document's file is not public under /media/")
    internal = anonymous.get(f"{base}/protected-media/{data['document_path']}", timeout=20)
    CHECKS.check(internal.status_code == 404, "the internal location is not reachable directly")

    url = (
        f"{base}/portal/projects/{data['project']}/documents/{data['document']}/files/"
        f"{data['version']}/"
    )
    outsider = login(base, "outsider")
    refused = outsider.get(url, allow_redirects=False, timeout=20)
    CHECKS.check(
        refused.status_code in (403, 404) and b"Team plan, private" not in refused.content,
        f"private document refused to an outsider ({refused.status_code})",
    )
    member = login(base, "member")
    served = member.get(url, timeout=30)
    CHECKS.check(
        served.status_code == 200
        and len(served.content) == data["document_size"]
        and served.content.startswith(b"Team plan, private"),
        f"private document served to a team member ({len(served.content)} bytes, by nginx"
        " after the portal's X-Accel-Redirect: the portal's own answer has no body)",
    )
    CHECKS.check(
        served.headers.get("Cache-Control") == "private, no-store"
        and "attachment" in served.headers.get("Content-Disposition", "")
        and served.headers.get("X-Content-Type-Options") == "nosniff",
        "the document keeps the portal's Content-Disposition and Cache-Control: "
        + ", ".join(
            f"{name}={served.headers.get(name)!r}"
            for name in ("Cache-Control", "Content-Disposition", "X-Content-Type-Options")
        ),
    )
    coordinator = login(base, "coordinator")
    return {
        "member": member.cookies["sessionid"],
        "coordinator": coordinator.cookies["sessionid"],
        "outsider": outsider.cookies["sessionid"],
    }


# --- chat -----------------------------------------------------------------------------------


class Endpoint:
    def __init__(self, name, ws_url, origin, ssl_context=None):
        self.name, self.ws_url, self.origin, self.ssl = name, ws_url, origin, ssl_context


class Client:
    """Does what static/js/chat.js does: keeps messages by seq, syncs after a reconnect or a
    gap, resends unacknowledged messages with the same client_id, reconnects with backoff."""

    def __init__(self, name, cookie, project, endpoint):
        self.name, self.cookie, self.project, self.endpoint = name, cookie, project, endpoint
        self.messages = {}  # seq -> message
        self.outbox = {}  # client_id -> body
        self.sent = set()
        self.acked = {}  # client_id -> seq
        self.socket = None
        self.user_id = None
        self.reconnects = 0
        self.catch_ups = 0
        self.errors = {}
        self.syncing = False
        self.last_ack = 0.0
        self.counter = 0

    async def open(self, timeout=60):
        deadline = time.monotonic() + timeout
        attempt = 0
        while True:
            try:
                await self._open_once()
                return
            except (OSError, InvalidHandshake, InvalidStatus, ConnectionClosed, TimeoutError):
                self.socket = None
            if time.monotonic() > deadline:
                raise Failure(f"{self.name} could not connect")
            await asyncio.sleep(random.uniform(0.05, min(1.0, 0.1 * 2**attempt)))
            attempt += 1

    async def _open_once(self):
        socket_ = await connect(
            f"{self.endpoint.ws_url}/ws/projects/{self.project}/chat/",
            origin=self.endpoint.origin,
            additional_headers={"Cookie": f"sessionid={self.cookie}"},
            ssl=self.endpoint.ssl,
            open_timeout=5,
            max_size=2**22,
        )
        try:
            frame = json.loads(await asyncio.wait_for(socket_.recv(), 10))
        except BaseException:
            await socket_.close()
            raise
        if frame.get("type") != "hello":
            await socket_.close()
            raise ConnectionClosed(None, None)
        self.socket = socket_
        self.user_id = frame["user"]["id"]
        had = max(self.messages, default=0)
        self._merge(frame["messages"])
        self.syncing = False
        if had < frame["last_seq"]:
            await self.request_sync(had)
        for client_id, body in list(self.outbox.items()):
            await self._raw({"type": "message.send", "body": body, "client_id": client_id})

    async def _raw(self, frame):
        if self.socket is None:
            return False
        try:
            await self.socket.send(json.dumps(frame))
            return True
        except ConnectionClosed:
            self.socket = None
            return False

    async def send_new(self):
        self.counter += 1
        client_id = uuid.uuid4().hex
        body = f"{self.name} #{self.counter}"
        self.outbox[client_id] = body
        self.sent.add(client_id)
        await self._raw({"type": "message.send", "body": body, "client_id": client_id})

    async def request_sync(self, after):
        if not self.syncing and await self._raw({"type": "sync", "after": after}):
            self.syncing = True

    def _merge(self, items):
        for message in items:
            self.messages[message["seq"]] = message
            author = message.get("author") or {}
            if author.get("id") == self.user_id and message["client_id"] in self.outbox:
                del self.outbox[message["client_id"]]
                self.acked[message["client_id"]] = message["seq"]
                self.last_ack = time.monotonic()

    async def handle(self, frame):
        kind = frame["type"]
        if kind == "message.new":
            highest = max(self.messages, default=0)
            self._merge([frame["message"]])
            if frame["message"]["seq"] > highest + 1:
                await self.request_sync(highest)
        elif kind == "messages":
            self.syncing = False
            self._merge(frame["messages"])
            if frame["has_more"] and frame["messages"]:
                await self.request_sync(frame["messages"][-1]["seq"])
        elif kind == "error":
            code = frame.get("code")
            self.errors[code] = self.errors.get(code, 0) + 1
            if code == "unavailable" and frame.get("ref") in self.outbox:
                # Not stored: sent again (same client_id) a moment later.
                asyncio.get_running_loop().call_later(
                    0.3, lambda: asyncio.ensure_future(self.resend(frame["ref"]))
                )

    async def resend(self, client_id):
        if client_id in self.outbox:
            await self._raw(
                {"type": "message.send", "body": self.outbox[client_id], "client_id": client_id}
            )

    def first_gap(self):
        """The lowest seq missing below the highest held (None without a gap)."""
        highest = max(self.messages, default=0)
        if len(self.messages) == highest:
            return None
        return next(seq for seq in range(1, highest + 1) if seq not in self.messages)

    async def catch_up(self):
        """What a client does when it has waited too long: ask again for what it misses
        (``sync`` from its first gap, or after its highest) and send its unacknowledged
        messages again (same client_id: stored once)."""
        gap = self.first_gap()
        self.syncing = False
        await self.request_sync((gap - 1) if gap else max(self.messages, default=0))
        for client_id in list(self.outbox):
            await self.resend(client_id)

    async def pump(self, stop, send_every=None, window=4):
        """Read frames, reconnecting, until ``stop()``; with ``send_every``, keep sending (at
        most ``window`` unacknowledged at a time)."""
        next_send = time.monotonic()
        next_catch_up = time.monotonic() + 2
        while not stop():
            if self.socket is None:
                self.reconnects += 1
                await self.open()
                continue
            if time.monotonic() >= next_catch_up:
                next_catch_up = time.monotonic() + 2
                if self.outbox or self.first_gap() or not send_every:
                    self.catch_ups += 1
                    await self.catch_up()
            if send_every and time.monotonic() >= next_send and len(self.outbox) < window:
                await self.send_new()
                next_send = time.monotonic() + send_every
            socket_ = self.socket
            if socket_ is None:  # the send found it closed
                continue
            try:
                raw = await asyncio.wait_for(socket_.recv(), 0.05)
            except TimeoutError:
                continue
            except ConnectionClosed:
                self.socket = None
                self.syncing = False
                await asyncio.sleep(random.uniform(0.05, 0.3))
                continue
            await self.handle(json.loads(raw))

    async def close(self):
        if self.socket is not None:
            await self.socket.close()
            self.socket = None


def describe(clients):
    top = max((max(c.acked.values(), default=0) for c in clients), default=0)
    return "; ".join(
        f"{c.name}: outbox {len(c.outbox)}, holds {len(c.messages)} of {top},"
        f" first gap {c.first_gap()}, syncing {c.syncing}, errors {c.errors}"
        for c in clients
    )


async def run_clients(clients, seconds=None, until=None, send_every=None, timeout=90):
    start = time.monotonic()

    def stop():
        if seconds is not None:
            return time.monotonic() - start >= seconds
        if until():
            return True
        if time.monotonic() - start > timeout:
            raise Failure(f"timed out after {timeout} s: {describe(clients)}")
        return False

    await asyncio.gather(*(client.pump(stop, send_every=send_every) for client in clients))


def all_settled(clients):
    """Everyone's outbox is empty and everyone holds every seq up to the highest acked."""
    if any(client.outbox for client in clients):
        return False
    top = max((max(c.acked.values(), default=0) for c in clients), default=0)
    return all(set(range(1, top + 1)) <= set(c.messages) for c in clients)


class Load:
    """Clients sending under a fault: what was sent and acknowledged around it."""

    def __init__(self, clients):
        self.clients = clients
        self.figures = []

    async def fault(self, name, action, recovered, before=2.0, after=4.0, send_every=0.08):
        """Send for ``before`` s, run ``action`` (in a thread) while sending, go on until
        ``recovered()`` (checked in a thread) and every sender had an acknowledgement after it,
        then ``after`` s more, then stop sending and settle."""
        log(f"== fault: {name}")
        sent_before = sum(len(c.sent) for c in self.clients)
        acked_before = sum(len(c.acked) for c in self.clients)
        reconnects_before = sum(c.reconnects for c in self.clients)
        done = asyncio.Event()
        state = {}

        async def driver():
            await asyncio.sleep(before)
            state["at"] = time.monotonic()
            await asyncio.to_thread(action)
            while not await asyncio.to_thread(recovered):
                if time.monotonic() - state["at"] > 90:
                    state["timeout"] = True
                    break
                await asyncio.sleep(0.1)
            state["service"] = time.monotonic() - state["at"]
            while not state.get("timeout") and not all(
                c.last_ack > state["at"] + 0.01 for c in self.clients
            ):
                if time.monotonic() - state["at"] > 90:
                    state["timeout"] = True
                    break
                await asyncio.sleep(0.05)
            state["chat"] = time.monotonic() - state["at"]
            await asyncio.sleep(after)
            done.set()

        task = asyncio.ensure_future(driver())
        await run_clients(self.clients, until=done.is_set, send_every=send_every, timeout=200)
        await task
        if state.get("timeout"):
            raise Failure(f"{name}: no recovery within 90 s")
        # Stop sending; everything outstanding must be acknowledged and everyone in step.
        settle = time.monotonic()
        await run_clients(self.clients, until=lambda: all_settled(self.clients), timeout=90)
        figures = {
            "fault": name,
            "sent": sum(len(c.sent) for c in self.clients) - sent_before,
            "acknowledged": sum(len(c.acked) for c in self.clients) - acked_before,
            "reconnects": sum(c.reconnects for c in self.clients) - reconnects_before,
            "service_back_s": round(state["service"], 2),
            "chat_back_s": round(state["chat"], 2),
            "settled_s": round(time.monotonic() - settle, 2),
        }
        self.figures.append(figures)
        log(
            "   sent {sent}, acknowledged {acknowledged}, reconnects {reconnects}; service back"
            " after {service_back_s} s, every sender acknowledged again after"
            " {chat_back_s} s".format(**figures)
        )
        return figures


async def chat_checks(data, cookies, ports, user):
    project = data["project"]
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE
    via_nginx = Endpoint(
        "nginx", f"wss://127.0.0.1:{ports.https}", f"https://127.0.0.1:{ports.https}", tls
    )
    direct = [
        Endpoint(f"daphne {i + 1}", f"ws://127.0.0.1:{port}", f"http://127.0.0.1:{port}")
        for i, port in enumerate(ports.daphne)
    ]

    log("== chat between clients on different daphne processes")
    a = Client("member@daphne1", cookies["member"], project, direct[0])
    b = Client("coordinator@daphne2", cookies["coordinator"], project, direct[1])
    await a.open()
    await b.open()
    await a.send_new()
    await b.send_new()
    await run_clients(
        [a, b], until=lambda: all_settled([a, b]) and len(a.messages) >= 2, timeout=30
    )
    mine_a, mine_b = next(iter(a.acked)), next(iter(b.acked))
    CHECKS.check(
        any(m["client_id"] == mine_a for m in b.messages.values())
        and any(m["client_id"] == mine_b for m in a.messages.values()),
        "a message sent on daphne 1 reaches daphne 2's client and back",
    )
    outsider = Client("outsider", cookies["outsider"], project, via_nginx)
    try:
        await outsider._open_once()
        refused = None
    except InvalidStatus as denied:
        refused = f"handshake refused ({denied.response.status_code})"
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else None
        refused = f"closed with {code}" if code == 4403 else None
    CHECKS.check(refused is not None, f"the outsider's chat socket through nginx: {refused}")
    await a.close()
    await b.close()

    # The load: four sockets through nginx (wss), two people, sending all the time.
    clients = [
        Client(f"{who}-{n}", cookies[who], project, via_nginx)
        for who in ("member", "coordinator")
        for n in (1, 2)
    ]
    for client in clients:
        await client.open()
    await run_clients(clients, until=lambda: all_settled(clients), timeout=30)
    load = Load(clients)

    def kill_primary():
        state["old_primary"] = current_primary(ports)
        index = ports.redis.index(state["old_primary"])
        PROCS.send_signal(f"redis-{index}", signal.SIGKILL)

    def redis_back():
        primary = current_primary(ports)
        if primary == state["old_primary"]:
            return False
        return healthz(ports) == 200

    state = {}
    f1 = await load.fault(
        "Redis primary killed (SIGKILL); Sentinel promotes the replica", kill_primary, redis_back
    )
    f1["promoted"] = current_primary(ports)

    # nginx keeps answering pages while one daphne dies: count what a visitor would see.
    page_results = []

    def kill_daphne():
        PROCS.send_signal("daphne-0", signal.SIGKILL)
        for _ in range(30):
            try:
                page_results.append(
                    HTTP.get(
                        f"https://127.0.0.1:{ports.https}/projects/", verify=False, timeout=10
                    ).status_code
                )
            except requests.RequestException:
                page_results.append(0)

    def daphne_routed_around():
        return healthz(ports) == 200

    f2 = await load.fault(
        "a daphne killed (SIGKILL) mid-load; nginx routes around it",
        kill_daphne,
        daphne_routed_around,
    )
    f2["pages_during"] = len(page_results)
    f2["pages_failed"] = sum(1 for status in page_results if status != 200)
    CHECKS.check(
        f2["pages_failed"] == 0,
        f"{len(page_results)} page requests while daphne 1 died: {f2['pages_failed']} failed",
    )
    PROCS.stop("daphne-0", signal.SIGKILL)
    start_daphne(0, ports, ENV)

    def restart_pgbouncer():
        PROCS.stop("pgbouncer", signal.SIGINT)
        start_pgbouncer_process(ports)

    f3 = await load.fault("PgBouncer restarted", restart_pgbouncer, lambda: healthz(ports) == 200)

    # Everything acknowledged is in the database exactly once and every client holds it.
    log("== after the faults: every client syncs; the database is counted")
    final = Client("final-reader", cookies["member"], project, via_nginx)
    await final.open()
    await run_clients(
        [final],
        until=lambda: (
            not final.syncing
            and len(final.messages)
            >= max((max(c.acked.values(), default=0) for c in clients), default=0)
        ),
        timeout=60,
    )
    await final.close()
    for client in clients:
        await client.close()
    rows = psql(
        user,
        f"select client_id, count(*) from chat_message where project_id = {project}"
        " group by client_id",
    )
    stored = {}
    for line in rows.splitlines():
        if line.strip():
            client_id, count = line.split("|")
            stored[client_id] = int(count)
    acknowledged = {cid for c in clients for cid in c.acked}
    sent = {cid for c in clients for cid in c.sent}
    lost_db = sorted(cid for cid in acknowledged if cid not in stored)
    duplicated_db = sorted(cid for cid, count in stored.items() if count > 1 and cid in sent)
    seen_final = {}
    for message in final.messages.values():
        seen_final.setdefault(message["client_id"], []).append(message["seq"])
    lost_client = set()
    for client in clients + [final]:
        held = {m["client_id"] for m in client.messages.values()}
        lost_client |= acknowledged - held
    duplicated_client = sorted(cid for cid, seqs in seen_final.items() if len(seqs) > 1)
    unacknowledged = sorted(sent - acknowledged)
    return {
        "faults": [f1, f2, f3],
        "sent": len(sent),
        "acknowledged": len(acknowledged),
        "unacknowledged": len(unacknowledged),
        "lost": len(set(lost_db) | lost_client),
        "duplicated": len(set(duplicated_db) | set(duplicated_client)),
        "messages_in_database": sum(stored.values()),
        "reconnects": sum(c.reconnects for c in clients),
        "errors": {
            k: sum(c.errors.get(k, 0) for c in clients)
            for k in {k for c in clients for k in c.errors}
        },
    }


def healthz(ports):
    try:
        return HTTP.get(
            f"https://127.0.0.1:{ports.https}/healthz",
            headers={"Authorization": "Bearer deploytest-healthz"},
            verify=False,
            timeout=5,
        ).status_code
    except requests.RequestException:
        return 0


def healthz_names_failing(ports):
    """/healthz names the failing dependency: the database while PgBouncer is stopped."""
    log("== /healthz names what is down")
    PROCS.stop("pgbouncer", signal.SIGINT)
    try:
        response = HTTP.get(
            f"https://127.0.0.1:{ports.https}/healthz",
            headers={"Authorization": "Bearer deploytest-healthz"},
            verify=False,
            timeout=30,
        )
        body = response.json()
        CHECKS.check(
            response.status_code == 503
            and body.get("database", "").startswith("error")
            and body.get("cache") == "ok"
            and body.get("channel_layer") == "ok",
            "PgBouncer stopped: /healthz 503, database failing, cache and channel layer ok",
        )
    finally:
        start_pgbouncer_process(ports)
    wait_for(lambda: healthz(ports) == 200, 30, "/healthz 200 again")
    CHECKS.check(True, "/healthz 200 again once PgBouncer is back")


def backup_check(user, data):
    """deploy/backup/cluster-backup dumps the database and copies the media."""
    log("== backup (deploy/backup/cluster-backup)")
    env = {
        **os.environ,
        "BACKUP_DIR": str(WORK / "backup"),
        "BACKUP_DATABASE": DATABASE,
        "BACKUP_MEDIA": str(WORK / "media"),
        "BACKUP_PGHOST": "127.0.0.1",
        "BACKUP_PG_USER": user,
    }
    run([str(ROOT / "deploy" / "backup" / "cluster-backup")], env=env, what="cluster-backup")
    dumps = sorted((WORK / "backup" / "db").glob("*.dump"))
    listing = run(["pg_restore", "--list", str(dumps[-1])], what="pg_restore") if dumps else ""
    CHECKS.check("TABLE DATA public chat_message" in listing, "pg_dump archive lists the chat")
    copies = sorted((WORK / "backup" / "media").iterdir())
    CHECKS.check(
        bool(copies) and (copies[-1] / data["document_path"]).exists(),
        "media copied, project documents included",
    )


PORTS = None
ENV = None


def main():
    global PORTS, ENV
    started = time.monotonic()
    PORTS = ports = Ports()
    user = pg_user()
    log(f"== Redis primary and replica, three Sentinels (ports {ports.redis} {ports.sentinels})")
    start_redis(ports)
    log(f"== PgBouncer (transaction mode) on {ports.pgbouncer} in front of PostgreSQL")
    start_pgbouncer(ports, user)
    ENV = env = django_env(ports, user)
    (WORK / "media").mkdir()
    data = prepare_site(env)
    log(f"== two daphne ({ports.daphne}) behind nginx (https {ports.https})")
    start_daphne(0, ports, env)
    start_daphne(1, ports, env)
    start_nginx(ports)
    base = f"https://127.0.0.1:{ports.https}"
    cookies = http_checks(base, data)
    healthz_names_failing(ports)
    result = asyncio.run(chat_checks(data, cookies, ports, user))
    backup_check(user, data)

    log("")
    log("== figures")
    for fault in result["faults"]:
        log(
            f"   {fault['fault']}:\n"
            f"      sent {fault['sent']}, acknowledged {fault['acknowledged']}, reconnects"
            f" {fault['reconnects']}, service back after {fault['service_back_s']} s, chat back"
            f" after {fault['chat_back_s']} s, settled {fault['settled_s']} s later"
            + (f", new primary on port {fault['promoted']}" if "promoted" in fault else "")
            + (
                f", {fault['pages_during']} page requests, {fault['pages_failed']} failed"
                if "pages_during" in fault
                else ""
            )
        )
    log(
        f"   messages sent {result['sent']}, acknowledged {result['acknowledged']}, never"
        f" acknowledged {result['unacknowledged']}, lost {result['lost']}, duplicated"
        f" {result['duplicated']}; in the database {result['messages_in_database']};"
        f" reconnects {result['reconnects']}; error frames {result['errors']}"
    )
    CHECKS.check(result["lost"] == 0, "no acknowledged message lost")
    CHECKS.check(result["duplicated"] == 0, "no message stored or shown twice")
    CHECKS.check(result["unacknowledged"] == 0, "every message sent was acknowledged in the end")
    log(f"== done in {time.monotonic() - started:.0f} s")
    log(f"deploytest: {CHECKS.passed} passed, {len(CHECKS.failed)} failed")
    return 1 if CHECKS.failed else 0


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, on_signal)
    status = 1
    try:
        status = main()
    except Failure as failure:
        log(f"FAILED: {failure}")
        log(f"   logs in {WORK} (KEEP_DEPLOYTEST=1 keeps them)")
        log(f"deploytest: {CHECKS.passed} passed, {len(CHECKS.failed) + 1} failed")
    except Exception:  # noqa: BLE001 - a bug here is a failed run, reported as one
        import traceback

        traceback.print_exc()
        log(f"deploytest: {CHECKS.passed} passed, {len(CHECKS.failed) + 1} failed")
    finally:
        PROCS.stop_all()
    sys.exit(status)
