"""Failed sign-ins: growing delays per account and address together, never a lockout that
someone else can cause to the owner or to everyone behind a shared address."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tests.security.test_ratelimit import HOUR, Clock

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(HOUR * 700_000 + 10.0)
    monkeypatch.setattr("core.ratelimit.time", clock)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", clock)
    return clock


@pytest.fixture
def marta():
    return UserFactory(username="marta")


def sign_in(login, password, address):
    return Client().post(
        "/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=address
    )


def refused(response):
    return "Too many failed sign-in attempts" in response.content.decode()


def test_the_owner_signs_in_from_elsewhere_after_an_attackers_five_failures(clock, marta):
    for _ in range(5):
        response = sign_in("marta", "wrong-guess", ATTACKER)
        assert response.status_code == 200
    assert sign_in("marta", PASSWORD, OWNER).status_code == 302
    assert sign_in("marta@example.org", PASSWORD, OWNER).status_code == 302


def test_the_guesser_waits_longer_and_longer(clock, marta):
    for _ in range(3):
        assert not refused(sign_in("marta", "wrong-guess", ATTACKER))
    # The third failure started a delay: even the right password waits now.
    response = sign_in("marta", PASSWORD, ATTACKER)
    assert response.status_code == 200 and refused(response)
    assert "Wait 2 seconds" in response.content.decode()
    clock.now += 2
    assert not refused(sign_in("marta", "wrong-again", ATTACKER))  # 4th failure: 4 s
    clock.now += 2
    assert refused(sign_in("marta", PASSWORD, ATTACKER))
    clock.now += 2
    assert not refused(sign_in("marta", "wrong-again", ATTACKER))  # 5th failure: 8 s
    clock.now += 7
    assert "Wait 1 second " in sign_in("marta", PASSWORD, ATTACKER).content.decode()
    clock.now += 1
    assert sign_in("marta", PASSWORD, ATTACKER).status_code == 302  # the delay ended


def test_a_shared_address_does_not_block_everyone_behind_it(clock, marta):
    UserFactory(username="pere")
    for n in range(12):
        sign_in("marta", "wrong-guess", ATTACKER)
        sign_in(f"someone{n}", "wrong-guess", ATTACKER)
    assert sign_in("pere", PASSWORD, ATTACKER).status_code == 302


def test_a_success_clears_the_pair(clock, marta):
    for _ in range(2):
        sign_in("marta", "typo", OWNER)
    assert sign_in("marta", PASSWORD, OWNER).status_code == 302
    for _ in range(2):
        assert not refused(sign_in("marta", "typo", OWNER))


def test_many_addresses_against_one_account_get_a_short_delay_not_a_lockout(clock, marta):
    for n in range(20):
        sign_in("marta", "wrong-guess", f"192.0.2.{n}")
    response = sign_in("marta", PASSWORD, OWNER)
    assert refused(response)  # a botnet's guesses slow everyone down a little…
    clock.now += 60  # …for at most a minute
    assert sign_in("marta", PASSWORD, OWNER).status_code == 302
