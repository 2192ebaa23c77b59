"""The chat's websocket route and consumer range-check the project id (core/ids.py).

Its own module: the tests in test_integer_ranges.py share a module-wide transaction that a
transactional test cannot run beside."""

import pytest
from channels.db import database_sync_to_async

from core.ids import ID_MAX
from tests.chat.conftest import session_cookie
from tests.chat.helpers import close_code, open_socket
from tests.factories import UserFactory

TOO_BIG = str(2**63)


def test_the_chat_route_hands_any_number_to_the_consumer_and_nothing_else():
    """A number no key can hold still reaches the consumer, which closes it with the protocol's
    4404 (a route that did not match would end the handshake without a close code)."""
    from chat.routing import websocket_urlpatterns

    (route,) = websocket_urlpatterns
    assert route.pattern.match("ws/projects/7/chat/")[2] == {"project_id": "7"}
    assert route.pattern.match(f"ws/projects/{TOO_BIG}/chat/")[2] == {"project_id": TOO_BIG}
    assert route.pattern.match("ws/projects/-1/chat/") is None
    assert route.pattern.match("ws/projects/7a/chat/") is None
    assert route.pattern.match("ws/projects/" + "9" * 41 + "/chat/") is None


@pytest.mark.django_db(transaction=True)
async def test_chat_socket_for_the_largest_id_is_closed_as_not_found():

    user = await database_sync_to_async(UserFactory)(username="range_chatter")
    cookie = await database_sync_to_async(session_cookie)(user)
    communicator, _ = await open_socket(ID_MAX, cookie)
    assert await close_code(communicator) == 4404
    await communicator.disconnect()
