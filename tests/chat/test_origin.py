"""Issue 18, finding 12: a websocket is accepted from exactly the site's origins (scheme, host
and port), not from any port or scheme on an allowed host."""

import pytest
from channels.db import database_sync_to_async

from chat.origin import origin_allowed
from tests.chat.helpers import join, open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def test_own_origin_is_permitted(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    communicator, hello = await join(team.project.pk, cookie)
    assert hello["type"] == "hello"
    await communicator.disconnect()


@pytest.mark.parametrize(
    "origin",
    [
        b"http://testserver:8080",  # another port on the allowed host
        b"https://testserver",  # another scheme
        b"ws://testserver",
        b"http://localhost",  # another allowed host, not the one the socket was opened on
        b"http://evil.test",
        b"http://testserver.evil.test",
        b"null",
        b"http://testserver/path",
        b"",
    ],
)
async def test_other_origins_are_denied(team, cookie_for, origin):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    communicator, connected = await open_socket(team.project.pk, cookie, origin=origin or None)
    assert not connected


async def test_host_not_allowed_is_denied(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    communicator, connected = await open_socket(
        team.project.pk, cookie, origin=b"http://evil.test", host=b"evil.test"
    )
    assert not connected


def _scope(origin, host="testserver", scheme="ws", extra=()):
    headers = [(b"host", host.encode()), (b"origin", origin.encode()), *extra]
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        ("http://testserver", "testserver", "ws", True),
        ("HTTP://TestServer:80", "testserver", "ws", True),  # default port, any case
        ("https://testserver", "testserver", "wss", True),
        ("http://testserver", "testserver", "wss", False),
        ("https://testserver:8443", "testserver:8443", "wss", True),
        ("https://testserver", "testserver:8443", "wss", False),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", True),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", "ws", False),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "wss", False),
    ],
)
def test_origin_rule(origin, host, scheme, allowed):
    assert origin_allowed(_scope(origin, host, scheme)) is allowed


def test_behind_a_tls_proxy_the_forwarded_scheme_counts(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = [(b"x-forwarded-proto", b"https")]
    assert origin_allowed(_scope("https://testserver", extra=proxied))
    assert not origin_allowed(_scope("http://testserver", extra=proxied))
    settings.SECURE_PROXY_SSL_HEADER = None
    assert not origin_allowed(_scope("https://testserver", extra=proxied))


def test_trusted_origins_exactly(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.org"]
    assert origin_allowed(_scope("https://app.example.org"))
    assert not origin_allowed(_scope("https://app.example.org:444"))
    assert not origin_allowed(_scope("http://app.example.org"))


def test_two_origin_headers_are_denied():
    scope = _scope("http://testserver", extra=[(b"origin", b"http://evil.test")])
    assert not origin_allowed(scope)
