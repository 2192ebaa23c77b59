import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import free_port, redis_url

BASE_DIR = Path(__file__).resolve().parents[2]

# Calls /healthz through Django's test client in a fresh process whose settings point at the
# services given in the environment: a real connection attempt, nothing mocked.
CALL = (
    "import django, json, os; django.setup();"
    "from django.test import Client;"
    "token = os.environ.get('HEALTHZ_TOKEN');"
    "headers = {'HTTP_AUTHORIZATION': 'Bearer ' + token} if token else {};"
    "r = Client().get('/healthz', **headers);"
    "print(r.status_code, r.content.decode())"
)
TOKEN = "operators-only-healthz-token"


def call_healthz(**env):
    """/healthz as an operator sees it (with the token), unless ``HEALTHZ_TOKEN=""``."""
    env.setdefault("HEALTHZ_TOKEN", TOKEN)
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", CALL],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=90,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cluster.settings.test", **env},
    )
    assert result.stdout, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(status), json.loads(body)


@pytest.mark.django_db
def test_healthz_ok_when_every_service_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_details_for_staff_and_token_holders_only(client, settings):
    from tests.factories import UserFactory

    settings.HEALTHZ_TOKEN = TOKEN
    details = {"status": "ok", "database": "ok", "channel_layer": "ok", "cache": "ok"}
    assert client.get("/healthz", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").json() == details
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer wrong").json() == {"status": "ok"}
    client.force_login(UserFactory())
    assert client.get("/healthz").json() == {"status": "ok"}
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/healthz").json() == details


@pytest.mark.django_db
def test_healthz_without_a_token_setting_accepts_no_bearer(client, settings):
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_healthz_public_answer_names_no_service_address():
    """A visitor learns that something is down, not the database's name or Redis's address."""
    port = free_port()
    status, body = call_healthz(
        HEALTHZ_TOKEN="",
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{free_port()}/secretdbname",
        DATABASE_POOL_TIMEOUT="1",
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
    )
    assert status == 503
    assert body == {"status": "error"}


def test_healthz_503_when_database_unreachable():
    status, body = call_healthz(
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{free_port()}/missing",
        DATABASE_POOL_TIMEOUT="1",
    )
    assert status == 503
    assert body["database"].startswith("error")
    assert body["cache"] == "ok"


@pytest.mark.redis
def test_healthz_ok_with_redis():
    status, body = call_healthz(REDIS_URL=redis_url())
    assert status == 200, body
    assert body["channel_layer"] == "ok" and body["cache"] == "ok"


def test_healthz_503_when_redis_unreachable():
    status, body = call_healthz(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert status == 503
    assert body["channel_layer"].startswith("error")
    assert body["cache"].startswith("error")
    assert body["database"] == "ok"
