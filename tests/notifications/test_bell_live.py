"""The bell's live count at /ws/notifications/ (not the chat's socket: CHAT_PROTOCOL.md gets no
new frame): a signed-in person's socket is sent their unread count when it opens and whenever
a notification of theirs is created or read; a visitor is refused (4401), a page of another
site cannot open it (Origin), and one person never hears of another's notifications. Through
the real ASGI application, with a real session cookie, on the configured channel layer: the
in-memory one on the embedded leg, Redis (channels_redis pub/sub) on the services leg."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cluster.asgi import application
from notifications.models import Notification
from notifications.services import notification_create, notification_mark_read
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notifications/"


@pytest.fixture(autouse=True)
def _close_the_pool():
    yield
    from django.db import connection

    # The consumer counted in worker threads: with psycopg's pool those connections stay open
    # and would keep the test database from being dropped at the end.
    if hasattr(connection, "close_pool"):
        connection.close_pool()


def cookie(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client.cookies["sessionid"].value


@database_sync_to_async
def person(username):
    user = UserFactory(username=username)
    return user, cookie(user)


@database_sync_to_async
def notify(user, title="Joined"):
    return notification_create(
        user=user,
        kind="projects.team_added",
        render=lambda: (title, ""),
        url="/portal/",
        email=False,
        language="en",
    )


async def open_bell(session=None, origin=b"http://testserver"):
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin))
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    connected, _ = await communicator.connect(timeout=10)
    return communicator, connected


async def count_of(communicator):
    frame = await communicator.receive_json_from(timeout=10)
    assert frame["type"] == "unread", frame
    return frame["count"]


async def test_bell_permitted_gets_the_count_when_it_opens_and_when_it_changes():
    marta, session = await person("marta")
    await notify(marta)
    bell, connected = await open_bell(session)
    assert connected
    assert await count_of(bell) == 1
    await notify(marta, "Another")
    assert await count_of(bell) == 2
    await database_sync_to_async(notification_mark_read)(user=marta)
    assert await count_of(bell) == 0
    await bell.disconnect()


async def test_bell_follows_a_read_made_by_a_page_in_another_tab():
    marta, session = await person("marta")
    notification = await notify(marta)
    bell, _ = await open_bell(session)
    assert await count_of(bell) == 1

    def open_it():
        client = Client()
        client.cookies["sessionid"] = session
        return client.get(reverse("portal:notification_open", args=[notification.pk]))

    response = await database_sync_to_async(open_it)()
    assert response.status_code == 302
    assert await count_of(bell) == 0
    await bell.disconnect()


async def test_bell_denied_to_a_visitor():
    bell, connected = await open_bell()
    assert connected  # a close code reaches a client only after the handshake
    output = await bell.receive_output(timeout=10)
    assert output == {"type": "websocket.close", "code": 4401}


async def test_bell_denied_to_a_page_of_another_site():
    _marta, session = await person("marta")
    bell, connected = await open_bell(session, origin=b"http://evil.test")
    assert not connected
    bell, connected = await open_bell(session, origin=None)
    assert not connected


async def test_one_person_never_hears_of_another_s_notifications():
    marta, marta_session = await person("marta")
    pau, pau_session = await person("pau")
    marta_bell, _ = await open_bell(marta_session)
    pau_bell, _ = await open_bell(pau_session)
    assert await count_of(marta_bell) == 0
    assert await count_of(pau_bell) == 0
    await notify(pau, "For Pau")
    assert await count_of(pau_bell) == 1
    await notify(pau, "For Pau again")
    assert await count_of(pau_bell) == 2
    await notify(marta, "For Marta")
    # Had marta's socket heard of pau's two, two frames would come first.
    assert await count_of(marta_bell) == 1
    assert await Notification.objects.filter(user=pau).acount() == 2
    await marta_bell.disconnect()
    await pau_bell.disconnect()


async def test_what_a_client_sends_changes_nothing():
    marta, session = await person("marta")
    bell, _ = await open_bell(session)
    assert await count_of(bell) == 0
    await bell.send_to(text_data='{"type": "unread", "count": 99}')
    await bell.send_to(text_data="not json at all")
    await notify(marta)
    assert await count_of(bell) == 1
    await bell.disconnect()


def test_the_services_leg_uses_the_redis_channel_layer():
    from tests.services import redis_url

    redis_url()  # on the embedded leg there is no Redis: skipped, saying so
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    assert backend == "channels_redis.pubsub.RedisPubSubChannelLayer"


async def test_announcing_from_code_on_the_loop_s_own_thread_is_scheduled_not_refused():
    """A sync caller on an event loop's thread (a browser automation's sync API drives one)
    cannot block on the layer: the publish is scheduled on that loop and still arrives."""
    import asyncio

    from channels.layers import get_channel_layer

    from notifications.live import bell_announce, bell_group

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(bell_group(424242), channel)
    bell_announce([424242])  # a plain call, on this loop's thread
    event = await asyncio.wait_for(layer.receive(channel), timeout=10)
    assert event["type"] == "bell.changed"
    await layer.group_discard(bell_group(424242), channel)
