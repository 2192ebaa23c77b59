"""The two legs of CI (tests/services.py): on the embedded defaults only the tests that need a
PostgreSQL or Redis server are skipped, with their reason; anything else missing fails."""

import pytest

from tests import services


@pytest.fixture
def leg(monkeypatch):
    def set_leg(*, ci, embedded):
        monkeypatch.setattr(services, "IN_CI", ci)
        monkeypatch.setattr(services, "EMBEDDED_LEG", embedded)

    return set_leg


def test_the_embedded_leg_skips_a_missing_server_saying_why(leg):
    leg(ci=True, embedded=True)
    with pytest.raises(pytest.skip.Exception, match="embedded defaults"):
        services.missing("Redis (REDIS_URL)", a_server=True)


def test_the_embedded_leg_still_fails_for_anything_else_missing(leg):
    leg(ci=True, embedded=True)
    with pytest.raises(pytest.fail.Exception, match="required under CI=true"):
        services.missing("Chromium (/usr/bin/chromium)")


def test_the_server_leg_fails_for_a_missing_server(leg):
    leg(ci=True, embedded=False)
    with pytest.raises(pytest.fail.Exception, match="required under CI=true"):
        services.missing("PostgreSQL (DATABASE_URL)", a_server=True)


def test_a_contributor_without_a_server_skips(leg):
    leg(ci=False, embedded=False)
    with pytest.raises(pytest.skip.Exception):
        services.missing("Redis (REDIS_URL)", a_server=True)
