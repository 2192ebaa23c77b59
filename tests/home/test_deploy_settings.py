"""A deployment chooses media storage, PgBouncer and Redis Sentinel by environment alone.

Each case reads the settings in a fresh process, as a server would start with that
environment; the Sentinel cases talk to a real redis-server and Sentinel of their own.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.home.test_healthz import call_healthz
from tests.services import free_port, missing

BASE_DIR = Path(__file__).resolve().parents[2]

CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    and not k.startswith(("MEDIA_", "DATABASE_", "REDIS_", "WORKSPACE_"))
    # A parallel test worker's own Redis database (cluster/settings/test.py) is not the
    # deployment's: the settings under test must see only the variables given.
    and not k.startswith(("PYTEST_XDIST", "CLUSTER_REDIS_WORKER"))
}


def probe(code, **env):
    """Run ``code`` after django.setup() under the test settings; its last line, as JSON."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django, json; django.setup()\n{code}"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=90,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "cluster.settings.test", **env},
    )
    return result


def values(code, **env):
    result = probe(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


DB = (
    "from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps({'pool': 'pool' in d['OPTIONS'], 'age': d['CONN_MAX_AGE'],"
    "'cursors': d.get('DISABLE_SERVER_SIDE_CURSORS', False), 'checks': d['CONN_HEALTH_CHECKS'],"
    "'prepare': d['OPTIONS'].get('prepare_threshold', 'default'),"
    "'options': d['OPTIONS'].get('options', '')}))"
)
PG = "postgres://cluster@127.0.0.1:6432/cluster"


# --- Media storage ------------------------------------------------------------------------


def test_media_on_the_filesystem_by_default():
    storage = values(
        "from django.conf import settings; from django.core.files.storage import default_storage;"
        "print(json.dumps([settings.STORAGES['default']['BACKEND'],"
        " default_storage.__class__.__name__, settings.MEDIA_URL]))"
    )
    assert storage == [
        "django.core.files.storage.FileSystemStorage",
        "FileSystemStorage",
        "/media/",
    ]


def test_media_in_an_s3_bucket_by_environment():
    code = (
        "from django.conf import settings; from django.core.files.storage import default_storage;"
        "print(json.dumps({'class': default_storage.__class__.__name__,"
        " 'bucket': default_storage.bucket_name, 'url': default_storage.url('images/logo.png'),"
        " 'img_src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    s3 = values(
        code,
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="cluster-media",
        MEDIA_S3_ENDPOINT_URL="https://objects.example.org",
        MEDIA_S3_REGION="eu-west-1",
        MEDIA_S3_ACCESS_KEY_ID="key-id",
        MEDIA_S3_SECRET_ACCESS_KEY="secret",
    )
    assert s3["class"] == "S3Storage" and s3["bucket"] == "cluster-media"
    # A private bucket: the URL is signed (it names no file that anyone may fetch forever).
    assert s3["url"].startswith("https://objects.example.org/cluster-media/images/logo.png?")
    assert "Signature" in s3["url"]
    assert "https://objects.example.org" in s3["img_src"]

    public = values(
        code,
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="cluster-media",
        MEDIA_S3_CUSTOM_DOMAIN="media.example.org",
        MEDIA_S3_QUERYSTRING_AUTH="false",
    )
    assert public["url"] == "https://media.example.org/images/logo.png"
    assert "https://media.example.org" in public["img_src"]


def test_unknown_media_storage_refused_with_a_clear_message():
    result = probe("", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'filesystem' or 's3', not 'ftp'" in result.stderr


def test_x_accel_redirect_refused_with_a_bucket():
    result = probe(
        "", MEDIA_STORAGE="s3", MEDIA_S3_BUCKET="b", WORKSPACE_X_ACCEL_REDIRECT="/protected/"
    )
    assert result.returncode != 0
    assert "leave it empty with MEDIA_STORAGE=s3" in result.stderr


def test_x_accel_redirect_prefix_from_environment():
    prefix = values(
        "from django.conf import settings; print(json.dumps(settings.WORKSPACE_X_ACCEL_REDIRECT))",
        WORKSPACE_X_ACCEL_REDIRECT="/protected-media/",
    )
    assert prefix == "/protected-media/"


# --- PostgreSQL directly or through PgBouncer ---------------------------------------------


def test_postgresql_directly_keeps_prepared_statements_and_planner_options():
    db = values(DB, DATABASE_URL=PG)
    assert db == {
        "pool": True,
        "age": 0,
        "cursors": False,
        "checks": False,
        "prepare": "default",
        "options": "-c random_page_cost=1.1",
    }


def test_pgbouncer_transaction_mode_settings():
    db = values(DB, DATABASE_URL=PG, DATABASE_PGBOUNCER="true")
    assert db == {
        "pool": True,
        "age": 0,
        # Neither survives a transaction in transaction pooling.
        "cursors": True,
        "prepare": None,
        # A pooled connection that a restarted PgBouncer closed is replaced, not used.
        "checks": True,
        # PgBouncer refuses the "options" start-up parameter.
        "options": "",
    }


def test_pgbouncer_without_the_client_pool():
    db = values(DB, DATABASE_URL=PG, DATABASE_PGBOUNCER="true", DATABASE_POOL="false")
    assert db["pool"] is False and db["age"] == 0 and db["prepare"] is None


# --- Redis through Sentinel ---------------------------------------------------------------

REDIS_CONFIG = (
    "from django.conf import settings;"
    "print(json.dumps({'url': settings.REDIS_URL,"
    " 'layer': settings.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0],"
    " 'cache': settings.CACHES['default']['OPTIONS']}))"
)


def test_sentinel_settings_for_channel_layer_and_cache():
    config = values(
        REDIS_CONFIG,
        REDIS_SENTINELS="10.0.0.1:26379,10.0.0.2:26380,sentinel-c",
        REDIS_SENTINEL_MASTER="cluster",
        REDIS_URL="redis://:s3cret@cluster/4",
    )
    sentinels = [["10.0.0.1", 26379], ["10.0.0.2", 26380], ["sentinel-c", 26379]]
    layer = config["layer"]
    assert layer["sentinels"] == sentinels and layer["master_name"] == "cluster"
    assert layer["db"] == 4 and layer["password"] == "s3cret"
    assert "address" not in layer
    cache = config["cache"]
    assert cache["pool_class"] == "core.redis_connection.SentinelPool"
    assert cache["sentinels"] == sentinels and cache["master_name"] == "cluster"


def test_sentinel_without_redis_url_uses_database_zero():
    config = values(REDIS_CONFIG, REDIS_SENTINELS="127.0.0.1:26379")
    assert config["url"] == "redis://mymaster/0"
    assert config["layer"]["master_name"] == "mymaster" and config["layer"]["db"] == 0


def test_bad_sentinel_address_refused():
    result = probe("", REDIS_SENTINELS="127.0.0.1:port")
    assert result.returncode != 0
    assert "REDIS_SENTINELS: '127.0.0.1:port' is not host:port" in result.stderr


class OwnSentinel:
    """A redis-server and one Sentinel watching it (quorum 1), on free loopback ports."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.redis_port = free_port()
        self.port = free_port()
        self.processes = []

    def start(self):
        import redis

        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.path.exists(binary):
            missing("redis-server")
        self.processes.append(
            subprocess.Popen(
                [binary, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", ""],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        conf = self.tmp_path / "sentinel.conf"
        conf.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {self.tmp_path}\n"
            f"sentinel monitor cluster 127.0.0.1 {self.redis_port} 1\n"
        )
        self.processes.append(
            subprocess.Popen(
                [binary, str(conf), "--sentinel"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if client.execute_command("SENTINEL", "get-master-addr-by-name", "cluster"):
                    return self
            except redis.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail("the test's own Sentinel did not start")

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def own_sentinel(tmp_path):
    server = OwnSentinel(tmp_path).start()
    yield server
    server.stop()


def test_every_redis_client_reaches_the_primary_through_sentinel(own_sentinel):
    env = {"REDIS_SENTINELS": f"127.0.0.1:{own_sentinel.port}", "REDIS_SENTINEL_MASTER": "cluster"}
    status, body = call_healthz(**env)
    assert status == 200, body
    assert body["channel_layer"] == "ok" and body["cache"] == "ok"

    # The cache, the chat's clients and the page cache's reader write to that server.
    code = (
        "import asyncio; from django.core.cache import cache; from chat import redis_clients\n"
        "from core import pagecache; cache.set('through', 'sentinel')\n"
        "redis_clients.sync_client().set('chat-client', 1)\n"
        "async def read():\n"
        "    await pagecache._redis().set('pagecache-reader', 1)\n"
        "    await redis_clients.async_client().set('chat-async-client', 1)\n"
        "asyncio.run(read())\n"
        "print(json.dumps(redis_clients.sync_client().connection_pool.__class__.__name__))"
    )
    assert values(code, **env) == "SentinelConnectionPool"
    import redis

    primary = redis.Redis(port=own_sentinel.redis_port)
    assert primary.exists("cluster:1:through")
    assert primary.exists("chat-client", "chat-async-client", "pagecache-reader") == 3


def test_healthz_names_channel_layer_and_cache_when_no_sentinel_answers():
    status, body = call_healthz(REDIS_SENTINELS=f"127.0.0.1:{free_port()}")
    assert status == 503
    assert body["channel_layer"].startswith("error")
    assert body["cache"].startswith("error")
    assert body["database"] == "ok"
