"""Connect: the close codes of the protocol and the hello frame."""

import pytest
from channels.db import database_sync_to_async

from tests.chat.helpers import close_code, join, next_of, open_socket, send

pytestmark = pytest.mark.django_db(transaction=True)


async def test_anonymous_is_accepted_then_closed_4401(team):
    communicator, connected = await open_socket(team.project.pk)
    assert connected
    assert await close_code(communicator) == 4401


async def test_outsider_is_closed_4403(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.outsider)
    communicator, connected = await open_socket(team.project.pk, cookie)
    assert connected
    assert await close_code(communicator) == 4403


async def test_missing_project_is_closed_4404(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    communicator, _ = await open_socket(999_999, cookie)
    assert await close_code(communicator) == 4404


async def test_foreign_origin_is_refused(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    communicator, connected = await open_socket(
        team.project.pk, cookie, origin=b"http://evil.test"
    )
    assert not connected


async def test_member_gets_hello(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    communicator, hello = await join(team.project.pk, cookie)
    assert hello["project"] == {"id": team.project.pk, "title": team.project.title}
    assert hello["user"] == {"id": team.member.pk, "username": "marta", "name": "Marta Puig"}
    assert hello["last_seq"] == 0 and hello["read_seq"] == 0 and hello["messages"] == []
    assert [user["id"] for user in hello["online"]] == [team.member.pk]
    await send(communicator, "hola")
    frame = await next_of(communicator, "message.new")
    assert frame["message"]["seq"] == 1
    await communicator.disconnect()
