"""Redis stopped mid-conversation, then back: nothing acknowledged is lost, pages still render.

Each test starts its own redis-server on a free port and stops only that process.
"""

import time
import urllib.error
import urllib.request

import pytest

from chat.models import Message
from tests.chat.conftest import session_cookie
from tests.chat.live import LiveClient, LoopThread
from tests.chat.test_live import FAST_PRESENCE, db_view
from tests.services import OwnRedis

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def own_redis():
    server = OwnRedis().start()
    yield server
    server.stop()


def get(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_redis_outage_loses_nothing_and_pages_render(team, daphne_factory, own_redis):
    server = daphne_factory(REDIS_URL=own_redis.url, **FAST_PRESENCE)
    member_cookie = session_cookie(team.member)
    member = LiveClient("member", member_cookie, team.project.pk, [server])
    coordinator = LiveClient(
        "coordinator", session_cookie(team.coordinator), team.project.pk, [server]
    )

    async def before():
        await member.open()
        await coordinator.open()
        await member.send("before the outage")
        await coordinator.pump(lambda c: len(c.messages) == 1)

    loop = LoopThread()
    loop.run(before())
    assert get(f"{server.url}/healthz", member_cookie) == 200

    own_redis.stop()
    # Pages still render; health says what is wrong.
    assert get(f"{server.url}/portal/projects/{team.project.pk}/chat/", member_cookie) == 200
    assert get(f"{server.url}/portal/", member_cookie) == 200
    assert get(f"{server.url}/healthz", member_cookie) == 503

    async def during():
        sent = [await member.send(f"during {index}") for index in range(3)]
        # Each answer is an acknowledgement (stored), `unavailable`, or a closed socket;
        # whatever was acknowledged must be in the database.
        end = time.monotonic() + 3
        while time.monotonic() < end and member.socket is not None:
            try:
                await member.pump(lambda c: False, timeout=0.5, reconnect=False)
            except AssertionError:
                break
        return sent

    sent = loop.run(during())
    stored = set(Message.objects.values_list("client_id", flat=True))
    assert member.acked <= stored, "acknowledged but not stored"
    codes = {error["code"] for error in member.errors}
    assert codes <= {"unavailable"}, member.errors

    own_redis.start()  # same port: the servers find it again

    async def after():
        # Both reconnect (their sockets were closed with "try again later"), resend and sync.
        await member.pump(lambda c: not c.outbox and c.socket is not None, timeout=30)
        await coordinator.pump(lambda c: len(c.messages) == 4, timeout=30)
        await member.pump(lambda c: len(c.messages) == 4, timeout=30)
        await member.send("after the outage")
        await coordinator.pump(lambda c: len(c.messages) == 5)
        await member.pump(lambda c: len(c.messages) == 5)
        for client in (member, coordinator):
            await client.close()

    loop.run(after())
    loop.close()
    expected = db_view(team.project)
    assert [seq for seq, _, _ in expected] == [1, 2, 3, 4, 5]
    assert member.view() == expected and coordinator.view() == expected
    assert set(sent) <= set(Message.objects.values_list("client_id", flat=True))
