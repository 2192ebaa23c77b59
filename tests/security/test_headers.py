"""Security headers: the Content Security Policy on every response, production hardening."""

import json
import subprocess
import sys

import pytest

from tests.home.test_settings import BASE_DIR, CLEAN


def directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/projects/", "/accounts/login/", "/healthz", "/no-such-page/", "/jsi18n/"]
)
def test_every_response_carries_the_strict_policy(client, path):
    response = client.get(path)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'", "ws://testserver"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_websocket_origin_follows_the_scheme(client):
    response = client.get("/accounts/login/", secure=True)
    assert directives(response)["connect-src"] == ["'self'", "wss://testserver"]


@pytest.mark.django_db
def test_a_forged_host_is_never_echoed_into_the_policy(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_wagtail_admin_loosens_styles_but_not_scripts(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]


@pytest.mark.django_db
def test_wagtail_admin_renders_no_inline_script_for_date_widgets(admin_client):
    from home.models import HomePage

    page = HomePage.objects.get()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    html = response.content.decode()
    assert 'data-cluster-init="initDateTimeChooser"' in html
    assert "<script>initDateTimeChooser" not in html
    assert "js/wagtail-admin-init.js" in html


PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "from csp.utils import build_policy;"
    "print(json.dumps({k: getattr(settings, k, None) for k in ("
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE',"
    "'SESSION_COOKIE_HTTPONLY', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT',"
    "'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY', 'SECURE_CROSS_ORIGIN_OPENER_POLICY',"
    "'SECURE_PROXY_SSL_HEADER', 'ALLAUTH_TRUSTED_PROXY_COUNT')} | {'csp': build_policy()}))"
)


def production_settings(**env):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **CLEAN,
            "DJANGO_SETTINGS_MODULE": "cluster.settings.production",
            "DJANGO_SECRET_KEY": "p" * 60,
            "DJANGO_ALLOWED_HOSTS": "cluster.example.org",
            **env,
        },
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_https_only_with_hardened_headers():
    values = production_settings()
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["LANGUAGE_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert "upgrade-insecure-requests" in values["csp"]
    assert "frame-ancestors 'none'" in values["csp"]
    # Without a proxy in front, a client's X-Forwarded-Proto is not to be believed.
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] is None


def test_production_behind_a_proxy_trusts_its_headers():
    values = production_settings(DJANGO_BEHIND_PROXY="true")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
