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


def _make_draft(project):
    from projects.models import ProjectPage

    ProjectPage.objects.filter(pk=project.pk).update(live=False)


async def test_draft_and_missing_project_are_indistinguishable(team, cookie_for):
    """Issue 18, finding 9: a draft the person may not see answers like a missing project
    (4404, as HTTP answers 404 for both), so the chat is no oracle of which drafts exist."""
    cookie = await database_sync_to_async(cookie_for)(team.outsider)
    await database_sync_to_async(_make_draft)(team.project)
    codes = []
    for project_id in (team.project.pk, 999_999):
        communicator, connected = await open_socket(project_id, cookie)
        assert connected
        codes.append(await close_code(communicator))
    assert codes == [4404, 4404]


async def test_draft_project_team_still_chats(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    await database_sync_to_async(_make_draft)(team.project)
    communicator, hello = await join(team.project.pk, cookie)
    assert hello["project"]["id"] == team.project.pk
    await communicator.disconnect()


async def test_project_id_beyond_any_key_is_4404(team, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(team.member)
    communicator, connected = await open_socket(10**30, cookie)
    assert connected
    assert await close_code(communicator) == 4404


async def test_error_details_follow_the_browser_language_choice(team, cookie_for):
    """The language is chosen by Django's rule (core.i18n.scope_language): quality values
    count, regional variants fall back to the language."""
    cookie = await database_sync_to_async(cookie_for)(team.member)
    header = [(b"accept-language", b"ca;q=0.2, es-ES;q=0.9, en;q=0.1")]
    communicator, connected = await open_socket(team.project.pk, cookie, extra_headers=header)
    assert connected
    assert (await communicator.receive_json_from(timeout=10))["type"] == "hello"
    await communicator.send_to(text_data="not json")
    error = await next_of(communicator, "error")
    assert error["detail"] == "La trama no es JSON válido."
    await communicator.disconnect()
