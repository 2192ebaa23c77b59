"""Access is decided at connect and kept fresh by events; the hot path runs no permission SQL."""

import pytest
from channels.db import database_sync_to_async

from projects.models import Participation
from projects.services import participation_leave, team_remove
from tests.chat.helpers import close_code, join, next_of, send

pytestmark = pytest.mark.django_db(transaction=True)


async def test_removed_member_is_told_and_closed_4403(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])
    second_tab, _ = await join(team.project.pk, cookies["member"])
    coordinator, _ = await join(team.project.pk, cookies["coordinator"])
    await database_sync_to_async(team_remove)(project=team.project, user=team.member)
    for communicator in (member, second_tab):
        error = await next_of(communicator, "error")
        assert error["code"] == "forbidden"
        assert await close_code(communicator) == 4403
    # The others stay connected and are told who left.
    presence = await next_of(coordinator, "presence")
    while team.member.pk in [user["id"] for user in presence["online"]]:
        presence = await next_of(coordinator, "presence")
    await send(coordinator, "still here")
    assert (await next_of(coordinator, "message.new"))["message"]["seq"] == 1


async def test_partner_leaving_closes_its_people(team, cookies):
    member, _ = await join(team.project.pk, cookies["member"])

    def leave():
        participation = Participation.objects.get(project=team.project, organization=team.partner)
        admin = team.partner.memberships.filter(role="admin").order_by("pk").first().user
        participation_leave(participation=participation, user=admin)

    await database_sync_to_async(leave)()
    assert (await next_of(member, "error"))["code"] == "forbidden"
    assert await close_code(member) == 4403


@pytest.fixture
def all_threads_queries(monkeypatch):
    """SQL run on any connection, in any thread (consumers query from worker threads)."""
    from django.db.backends import utils

    seen = []
    original = utils.CursorWrapper._execute_with_wrappers

    def recording(self, sql, params, many, executor):
        seen.append(sql)
        return original(self, sql, params, many, executor)

    monkeypatch.setattr(utils.CursorWrapper, "_execute_with_wrappers", recording)
    return seen


async def test_no_permission_queries_on_the_message_path(team, cookies, all_threads_queries):
    member, _ = await join(team.project.pk, cookies["member"])
    all_threads_queries.clear()
    for index in range(3):
        await send(member, f"message {index}")
        await next_of(member, "message.new")
    await member.send_json_to({"type": "message.edit", "seq": 1, "body": "edited"})
    await next_of(member, "message.updated")
    await member.send_json_to({"type": "message.delete", "seq": 2})
    await next_of(member, "message.updated")
    sql = [query.lower() for query in all_threads_queries]
    assert sql, "no queries seen: the recorder is not in place"
    permission_tables = (
        "guardian",
        "auth_permission",
        "auth_group",
        "auth_user_groups",
        "projects_",
        "wagtailcore_page",
        "django_session",
    )
    for forbidden in permission_tables:
        assert not [q for q in sql if forbidden in q], f"{forbidden} queried on the hot path"
    sends = [q for q in sql if "insert into" in q and "chat_message" in q]
    assert len(sends) == 3
    # A send: on PostgreSQL one statement (the seq UPDATE and the INSERT together); on SQLite
    # BEGIN IMMEDIATE, the seq UPDATE, the INSERT. An edit or a delete:
    # (BEGIN,) the row read for update, its UPDATE, its mention rows.
    assert len(sql) <= 3 * 3 + 2 * 4, sql
