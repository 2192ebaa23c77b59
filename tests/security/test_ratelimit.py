"""Rate limits: hit and recovered, in the real cache (Redis under CI), never mocked."""

import time

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory

from core.ratelimit import parse_rate, ratelimit, ratelimit_hit
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_parse_rate():
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("5/15m") == (5, 900)
    assert parse_rate("3/30s") == (3, 30)
    for bad in ("ten/h", "10/x", "10", "/h"):
        with pytest.raises(ValueError):
            parse_rate(bad)


def test_limit_is_hit_then_recovered_in_the_next_window():
    start = 1_000_020.0  # a window of 60 s starts at 999_960 and ends at 1_000_020
    assert [ratelimit_hit("t:alice", 3, 60, now=start + i) for i in range(4)] == [
        False,
        False,
        False,
        True,
    ]
    assert ratelimit_hit("t:bob", 3, 60, now=start) is False  # keys are independent
    assert ratelimit_hit("t:alice", 3, 60, now=start + 59) is True
    assert ratelimit_hit("t:alice", 3, 60, now=start + 60) is False  # next window


def test_counter_lives_in_the_shared_cache():
    """Every process sees the same counter: it is kept in the cache (Redis in production)."""
    from django.core.cache import cache

    now = 2_000_000.0
    for _ in range(2):
        ratelimit_hit("t:shared", 5, 60, now=now)
    assert cache.get(f"ratelimit:t:shared:60:{int(now // 60)}") == 2


@ratelimit("test_scope", key="ip")
def limited_view(request):
    return HttpResponse("ok")


def test_decorator_answers_429_with_a_clear_message_then_recovers(settings, monkeypatch):
    settings.CLUSTER_RATE_LIMITS = {"test_scope": "2/h"}
    clock = Clock(HOUR * 500_000 + 10.0)
    monkeypatch.setattr("core.ratelimit.time", clock)
    factory = RequestFactory()
    statuses = []
    for _ in range(3):
        response = limited_view(factory.post("/accept/", REMOTE_ADDR="203.0.113.9"))
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429]
    assert "Too many attempts" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    # Another client is not affected, and a GET (showing the form) is never counted.
    assert limited_view(factory.post("/a/", REMOTE_ADDR="203.0.113.10")).status_code == 200
    assert limited_view(factory.get("/a/", REMOTE_ADDR="203.0.113.9")).status_code == 200
    clock.now += HOUR  # the window passes
    assert limited_view(factory.post("/a/", REMOTE_ADDR="203.0.113.9")).status_code == 200


def test_decorator_limits_by_user_when_asked(settings, rf):
    settings.CLUSTER_RATE_LIMITS = {"per_user": "1/h"}
    view = ratelimit("per_user", key="user")(lambda request: HttpResponse("ok"))
    alice, bob = UserFactory(), UserFactory()
    request = rf.post("/x/", REMOTE_ADDR="198.51.100.1")
    request.user = alice
    assert view(request).status_code == 200
    assert view(request).status_code == 429
    request.user = bob  # same address, another person
    assert view(request).status_code == 200


def signup_data(n):
    return {
        "first_name": "New",
        "last_name": f"Person {n}",
        "email": f"new{n}@example.org",
        "username": f"new{n}",
        "password1": "Un-bon-secret-2026",
        "password2": "Un-bon-secret-2026",
        "consent": "on",
    }


class Clock:
    """Stands in for ``time`` in a rate-limit module, so that windows pass on demand."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now

    def monotonic(self):
        return time.monotonic()

    def sleep(self, seconds):
        time.sleep(seconds)


HOUR = 3600


@pytest.fixture
def allauth_clock(monkeypatch):
    clock = Clock(HOUR * 500_000 + 10.0)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", clock)
    return clock


def test_sign_up_is_rate_limited_by_allauth_with_our_429_page(client, settings, allauth_clock):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/h/ip"}
    responses = [client.post("/accounts/signup/", signup_data(n)) for n in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert "Too many attempts" in responses[2].content.decode()
    client.logout()
    allauth_clock.now += HOUR + 1
    assert client.post("/accounts/signup/", signup_data(9)).status_code == 302


def test_failed_sign_ins_are_limited_per_address_over_all_accounts(
    client, settings, allauth_clock
):
    """allauth's own limit counts one address's failures over every account (credential
    stuffing); per account and address together see tests/security/test_login_backoff.py."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/h/ip"}
    UserFactory(username="marta")
    for n in range(3):
        wrong = {"login": f"someone{n}", "password": "not-the-password"}
        assert "too many" not in client.post("/accounts/login/", wrong).content.decode().lower()
    response = client.post("/accounts/login/", {"login": "marta", "password": PASSWORD})
    assert response.status_code == 200  # even the right password is refused for now
    assert "Too many failed login attempts" in response.content.decode()
    allauth_clock.now += HOUR + 1
    response = client.post("/accounts/login/", {"login": "marta", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_requests_are_limited_per_address(client, settings, allauth_clock):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/h/ip"}
    wrong = {"login": "nobody", "password": "x"}
    statuses = [client.post("/accounts/login/", wrong).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    allauth_clock.now += HOUR + 1
    assert client.post("/accounts/login/", wrong).status_code == 200


def test_password_reset_is_rate_limited_per_address(client, settings, allauth_clock):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "2/h/ip"}
    UserFactory(username="pere")
    statuses = [
        client.post("/accounts/password/reset/", {"email": "pere@example.org"}).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
    allauth_clock.now += HOUR + 1
    assert client.post("/accounts/password/reset/", {"email": "x@example.org"}).status_code == 302


def test_password_reset_links_are_limited_per_address(client, settings, allauth_clock):
    """The link of the reset e-mail (allauth's ``reset_password_from_key``) is limited too."""
    settings.ACCOUNT_RATE_LIMITS = {"reset_password_from_key": "2/h/ip"}
    url = "/accounts/password/reset/key/1-not-a-real-key/"
    data = {"password1": "Un-bon-secret-2026", "password2": "Un-bon-secret-2026"}
    statuses = [client.post(url, data).status_code for _ in range(3)]
    assert statuses[2] == 429 and 429 not in statuses[:2]
    allauth_clock.now += HOUR + 1
    assert client.post(url, data).status_code != 429


def test_an_unreachable_cache_lets_people_in(settings, caplog):
    from tests.services import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    assert ratelimit_hit("t:down", 0, 60) is False
    assert "rate limit cache unavailable" in caplog.text


def test_invitation_acceptance_is_limited_per_address_with_a_clear_message(
    client, settings, monkeypatch
):
    """Accepting (POST) is limited; a refused attempt changes nothing, then the window passes."""
    from partners.models import Membership
    from partners.selectors import invitation_token
    from partners.services import invitation_create
    from tests.utils import approved_organization

    settings.CLUSTER_RATE_LIMITS = {**settings.CLUSTER_RATE_LIMITS, "invitation_accept": "2/h"}
    clock = Clock(HOUR * 500_000 + 10.0)  # early in an hour-long window
    monkeypatch.setattr("core.ratelimit.time", clock)
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    invitee = UserFactory(email="joan@example.org")
    invitation = invitation_create(
        organization=organization, email="joan@example.org", invited_by=admin
    )
    url = f"/portal/organizations/invitations/{invitation_token(invitation)}/"
    client.force_login(invitee)
    statuses = [client.post(f"{url[:-2]}x/").status_code for _ in range(2)]  # bad links
    assert statuses == [400, 400]
    refused = client.post(url, HTTP_ACCEPT_LANGUAGE="es")
    assert refused.status_code == 429
    assert "Demasiados intentos de aceptar una invitación" in refused.content.decode()
    assert int(refused["Retry-After"]) == HOUR - 10 + 1
    assert not Membership.objects.filter(organization=organization, user=invitee).exists()
    assert client.get(url).status_code == 200  # opening the link is never counted
    clock.now += HOUR  # the next window
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.filter(organization=organization, user=invitee).exists()
