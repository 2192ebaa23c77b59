"""The chat row of the permission matrix: every client frame type is declared and guarded.

A frame type added to the consumer's dispatch table without being declared here (from
CHAT_PROTOCOL.md, "Client → server") fails ``test_dispatch_table_is_declared``; for each
declared type, a signed-in person who is not on the team is closed with 4403 and nothing the
frame could change is changed.
"""

import pytest
from channels.db import database_sync_to_async

from chat.consumers import CLOSE_FORBIDDEN, ChatConsumer
from tests.chat import conftest as chat_fixtures
from tests.chat.helpers import close_code, open_socket

# The chat tests' fixtures: a project with its team and an outsider, real session cookies.
team = chat_fixtures.team
cookie_for = chat_fixtures.cookie_for
_fresh_chat_state = chat_fixtures._fresh_chat_state

CLIENT_FRAMES = {
    "message.send": {"type": "message.send", "body": "intruder", "client_id": "x1"},
    "message.edit": {"type": "message.edit", "seq": 1, "body": "defaced"},
    "message.delete": {"type": "message.delete", "seq": 1},
    "history": {"type": "history", "before": 100, "limit": 50},
    "sync": {"type": "sync", "after": 0},
    "read": {"type": "read", "seq": 1},
    "typing": {"type": "typing"},
}


def test_dispatch_table_is_declared():
    assert set(ChatConsumer.HANDLERS) == set(CLIENT_FRAMES)


def _chat_state(project):
    from chat.models import Message, ReadMarker

    return (
        list(Message.objects.order_by("pk").values_list("pk", "body", "author")),
        list(ReadMarker.objects.values_list("user", "seq")),
    )


@pytest.mark.django_db(transaction=True)
async def test_non_team_user_is_refused(team, cookie_for, subtests):
    """Every client frame type, each on a socket of its own."""
    from chat.services import message_send

    await database_sync_to_async(message_send)(
        project_id=team.project.pk, author=team.member, body="hola", client_id="m1"
    )
    before = await database_sync_to_async(_chat_state)(team.project)
    cookie = await database_sync_to_async(cookie_for)(team.outsider)
    for frame_type, frame in CLIENT_FRAMES.items():
        with subtests.test(frame_type=frame_type):
            communicator, _ = await open_socket(team.project.pk, cookie)
            await communicator.send_json_to(frame)
            assert await close_code(communicator) == CLOSE_FORBIDDEN == 4403
            assert await database_sync_to_async(_chat_state)(team.project) == before
