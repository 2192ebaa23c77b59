"""Links in e-mails (a notification's, the digest's, the unsubscribe link) start with the site's
base URL, which follows where the portal is served: WAGTAILADMIN_BASE_URL when it is set; else,
in development, the HOST and PORT scripts/run gives daphne; in production the public address
(the setting, or https:// and the one allowed host), never a port a process listens on."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; django.setup(); from django.conf import settings;"
    "from notifications.services import _link;"
    "from notifications.unsubscribe import unsubscribe_url;"
    "print(json.dumps({'base': settings.WAGTAILADMIN_BASE_URL,"
    "'link': _link('/portal/notifications/'), 'unsubscribe': unsubscribe_url(7, 'digest')}))"
)

CLEAN = {
    key: value
    for key, value in os.environ.items()
    if key
    not in {
        "HOST",
        "PORT",
        "WAGTAILADMIN_BASE_URL",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_DEBUG",
    }
}


def probe(module="cluster.settings.dev", **env):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": module, **env},
        timeout=120,
    )
    return result


def links(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_links_follow_the_port_the_portal_is_served_on():
    found = links(probe(PORT="8123"))
    assert found["base"] == "http://127.0.0.1:8123"
    assert found["link"] == "http://127.0.0.1:8123/portal/notifications/"
    assert found["unsubscribe"].startswith(
        "http://127.0.0.1:8123/portal/notifications/unsubscribe/"
    )


def test_without_a_port_the_default_port_of_scripts_run():
    assert links(probe())["base"] == "http://127.0.0.1:8000"


def test_a_wildcard_bind_address_is_reached_on_the_loopback():
    assert links(probe(HOST="0.0.0.0", PORT="9001"))["base"] == "http://127.0.0.1:9001"


def test_an_explicit_base_url_wins_over_the_port():
    found = links(probe(PORT="8123", WAGTAILADMIN_BASE_URL="https://cluster.example.org/"))
    assert found["base"] == "https://cluster.example.org"
    assert found["unsubscribe"].startswith("https://cluster.example.org/portal/")


def test_a_port_that_is_not_a_number_is_refused_clearly():
    result = probe(PORT="eighty")
    assert result.returncode != 0
    assert "PORT must be a port number" in result.stderr


PRODUCTION = {"DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-" + "z" * 30}


def test_production_links_use_the_setting_not_the_port():
    found = links(
        probe(
            "cluster.settings.production",
            **PRODUCTION,
            DJANGO_ALLOWED_HOSTS="cluster.example.org",
            PORT="8123",
            WAGTAILADMIN_BASE_URL="https://portal.example.org",
        )
    )
    assert found["base"] == "https://portal.example.org"


def test_production_without_the_setting_uses_the_public_host():
    found = links(
        probe(
            "cluster.settings.production",
            **PRODUCTION,
            DJANGO_ALLOWED_HOSTS="cluster.example.org,www.cluster.example.org",
            PORT="8123",
        )
    )
    assert found["base"] == "https://cluster.example.org"


def test_production_refuses_a_wildcard_host_without_the_setting():
    result = probe(
        "cluster.settings.production", **PRODUCTION, DJANGO_ALLOWED_HOSTS=".example.org"
    )
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL must be set in production" in result.stderr
