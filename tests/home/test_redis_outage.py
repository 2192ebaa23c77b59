"""Redis stopped for real: pages, sign-in and the API keep working, and recover by themselves.

A live daphne runs on the test's own redis-server, which the test stops and starts again.
Nothing is mocked: the cache, the rate limits and the page cache meet a refused connection.
"""

import re
import time

import pytest
import requests
from django.core.cache import caches
from django.test import override_settings

from core.ratelimit import ratelimit_hit
from tests.factories import PASSWORD, UserFactory
from tests.impact.helpers import build_map
from tests.services import OwnRedis
from tests.utils import project_with_partner_on_team

RETRY = 0.3  # CACHE_RETRY_SECONDS for the server under test: quick recovery


@pytest.fixture
def own_redis():
    server = OwnRedis().start()
    yield server
    server.stop()


def _urls(project, partner):
    """The 21 public and portal URLs of the review (GETs); sign-in is POSTed besides."""
    return [
        "/",
        "/es/",
        "/projects/",
        "/partners/",
        "/ca/projects/",
        "/es/partners/",
        project.url,
        partner.url,
        "/search/?q=digital",
        "/api/v2/pages/",
        f"/api/v2/pages/{project.pk}/",
        "/api/v2/pages/?type=projects.ProjectPage&fields=status",
        "/sitemap.xml",
        "/feeds/projects/",
        "/robots.txt",
        "/impact/",
        f"/impact/projects/{project.pk}/",
        "/accounts/login/",
        "/portal/",
        f"/portal/projects/{project.pk}/",
        f"/portal/organizations/{partner.pk}/",
    ]


def _sign_in(base, username, password=PASSWORD):
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"login": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    return session, response


def _statuses(session, base, urls):
    return {url: session.get(f"{base}{url}", timeout=10).status_code for url in urls}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_pages_sign_in_and_api_survive_a_redis_outage_and_recover(daphne_factory, own_redis):
    member = UserFactory(username="marta")
    project, partner, _member = project_with_partner_on_team(member=member)
    build_map(project, project.lead_organization.memberships.first().user, publish=True)
    server = daphne_factory(REDIS_URL=own_redis.url, CACHE_RETRY_SECONDS=RETRY)
    urls = _urls(project, partner)

    session, signed_in = _sign_in(server.url, "marta")
    assert signed_in.status_code == 302
    before = _statuses(session, server.url, urls)
    assert set(before.values()) == {200}, before
    assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200

    own_redis.stop()
    # A new visitor signs in (allauth's limiter falls back to local memory), everything renders.
    during_session, during_sign_in = _sign_in(server.url, "marta")
    assert during_sign_in.status_code == 302, during_sign_in.text[:2000]
    during = _statuses(during_session, server.url, urls)
    assert during == before
    anonymous = _statuses(requests.Session(), server.url, urls[:18])
    assert 500 not in anonymous.values(), anonymous
    health = requests.get(f"{server.url}/healthz", timeout=10)
    assert health.status_code == 503
    assert health.json() == {"status": "error"}

    own_redis.start()  # same port
    time.sleep(RETRY * 2)
    assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
    after = _statuses(session, server.url, urls)
    assert after == before
    # The page cache is back in Redis: a page stored after the outage is served from it.
    visitor = requests.Session()
    visitor.get(f"{server.url}/projects/", timeout=10)
    assert visitor.get(f"{server.url}/projects/", timeout=10).headers["X-Page-Cache"] == "hit"


def _failover_cache(url):
    from django.conf import settings

    config = {**settings.CACHES["default"], "LOCATION": url, "RETRY_SECONDS": 0.1}
    config.setdefault("OPTIONS", {}).update(socket_timeout=1, socket_connect_timeout=1)
    if not config["BACKEND"].startswith("core.cache"):
        config["BACKEND"] = "core.cache.FailoverRedisCache"
    return {"default": config}


def test_rate_limits_fall_back_to_a_local_limiter_and_return_to_redis(own_redis):
    with override_settings(CACHES=_failover_cache(own_redis.url)):
        cache = caches["default"]
        now = 7_000_000.0
        assert [ratelimit_hit("t:outage", 2, 60, now=now) for _ in range(3)] == [
            False,
            False,
            True,
        ]
        own_redis.stop()
        # Counted in this process while Redis is away: the limit still holds.
        assert [ratelimit_hit("t:local", 2, 60, now=now) for _ in range(3)] == [
            False,
            False,
            True,
        ]
        assert cache.is_degraded()
        cache.set("stale", "from the outage")
        own_redis.start()
        time.sleep(0.2)
        assert ratelimit_hit("t:back", 1, 60, now=now) is False
        assert not cache.is_degraded()
        # What the process wrote during the outage was reset in Redis, not left stale there.
        assert cache.get("stale") is None
        cache.set("fresh", 1)
        import redis

        assert redis.Redis.from_url(own_redis.url).exists(cache.make_key("fresh")) == 1


def test_a_write_during_the_outage_makes_the_old_redis_value_stale(own_redis):
    """Redis unreachable but keeping its data (paused: every call times out): the page cache's
    generation bumped meanwhile must not come back from Redis afterwards."""
    import redis

    caches_setting = _failover_cache(own_redis.url)
    caches_setting["default"]["OPTIONS"].update(socket_timeout=0.3)
    with override_settings(CACHES=caches_setting):
        cache = caches["default"]
        cache.set("pagecache:generation", "old", None)
        redis.Redis.from_url(own_redis.url).execute_command("CLIENT", "PAUSE", 1500, "ALL")
        assert cache.get("pagecache:generation") is None  # a timeout: served locally
        assert cache.is_degraded()
        cache.set("pagecache:generation", "new", None)
        assert cache.get("pagecache:generation") == "new"
        time.sleep(1.6)  # the pause ends; Redis still holds "old"
        assert cache.get("pagecache:generation") is None
        assert not cache.is_degraded()
