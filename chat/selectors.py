"""Reads of the chat: history, catching up, unread and mention counts."""

from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from guardian.shortcuts import get_users_with_perms
from wagtail.models import Page

from projects.models import ProjectPage, TeamMembership
from projects.selectors import (
    can_coordinate,
    can_enter_workspace,
    can_view_project,
    project_perm_sql,
)

from . import events
from .models import ChatRoom, Mention, Message, ReadMarker

HELLO_MESSAGES = 50
HISTORY_MAX = 100
SYNC_PAGE = 100


def can_chat(user, project):
    """Who may read and write a project's chat: its team (and coordinators, superusers)."""
    return user.is_authenticated and can_enter_workspace(user, project)


def chat_user_ids(*, project, user_ids):
    """Which of ``user_ids`` pass ``can_chat`` on ``project``, in one query: guardian's
    holders of the workspace permission (directly, through groups, or as superusers), active."""
    holders = get_users_with_perms(
        project,
        only_with_perms_in=["enter_workspace"],
        with_superusers=True,
        with_group_users=True,
    )
    return set(holders.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))


def chat_page_project(*, user, project_id):
    """The project whose chat ``user`` opens, or why not: (project, "ok"|"forbidden"|"missing").

    A draft the person may not even see is "missing", as anywhere else in the portal.
    """
    project = ProjectPage.objects.filter(pk=project_id).first()
    if project is None or not can_view_project(user, project):
        return None, "missing"
    if not can_chat(user, project):
        return project, "forbidden"
    return project, "ok"


def chat_access(*, user, project_id):
    """Everything a socket needs to know at connect about its project, in one query:
    ``(project, "ok"|"forbidden"|"missing", may delete others' messages, (last_seq, read_seq))``
    — what ``chat_page_project``, ``project_access`` and ``room_state`` together would say;
    ``project`` is ``{"id", "title"}``, the state None when the room has no row yet
    (``room_state`` makes it).

    Raw SQL on purpose: every person joining a room runs it, and building the same query with
    the ORM costs the server many times the query itself (bench/README.md, "Joining")."""
    project_column = "pp." + ProjectPage._meta.pk.column
    may_chat, chat_params = project_perm_sql(user, "enter_workspace", project_column)
    may_coordinate, coordinate_params = project_perm_sql(
        user, "coordinate_project", project_column
    )
    sql = (
        f"SELECT pg.title, pg.live, {may_chat}, {may_coordinate},"
        f" (SELECT r.last_seq FROM {ChatRoom._meta.db_table} r"
        f" WHERE r.project_id = {project_column}),"
        f" (SELECT m.seq FROM {ReadMarker._meta.db_table} m"
        f" WHERE m.project_id = {project_column} AND m.user_id = %s)"
        f" FROM {ProjectPage._meta.db_table} pp"
        f" JOIN {Page._meta.db_table} pg ON pg.id = {project_column}"
        f" WHERE {project_column} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*chat_params, *coordinate_params, user.pk, project_id])
        row = cursor.fetchone()
    if row is None:
        return None, "missing", False, None
    title, live, chats, coordinates, last_seq, read = row
    if not live:  # a draft: who may see it is the projects app's rule
        project = ProjectPage.objects.filter(pk=project_id).first()
        if project is None or not can_view_project(user, project):
            return None, "missing", False, None
    project = {"id": project_id, "title": title}
    if not chats:
        return project, "forbidden", False, None
    state = None if last_seq is None else (last_seq, read or 0)
    return project, "ok", bool(coordinates), state


def _message_rows(queryset):
    """The messages of ``queryset`` as the protocol sends them, read as plain rows."""
    return [events.message_row(row) for row in queryset.values_list(*events.MESSAGE_COLUMNS)]


def message_latest_rows(*, project_id, limit=HELLO_MESSAGES):
    """The newest ``limit`` messages as model instances with their authors, oldest first (the
    chat page without JavaScript renders them)."""
    rows = list(
        Message.objects.filter(project_id=project_id)
        .select_related("author")
        .order_by("-seq")[:limit]
    )
    rows.reverse()
    return rows


def message_latest(*, project_id, limit=HELLO_MESSAGES):
    """The newest ``limit`` messages, oldest first."""
    items = _message_rows(Message.objects.filter(project_id=project_id).order_by("-seq")[:limit])
    items.reverse()
    return items


def message_history(*, project_id, before, limit):
    """Up to ``limit`` messages with seq < ``before``, oldest first, and whether older exist."""
    older = Message.objects.filter(project_id=project_id, seq__lt=before).order_by("-seq")
    items = _message_rows(older[: limit + 1])
    has_more = len(items) > limit
    items = items[:limit]
    items.reverse()
    return items, has_more


def message_sync(*, project_id, after, limit=SYNC_PAGE):
    """Up to ``limit`` messages with seq > ``after``, oldest first, and whether newer exist."""
    newer = Message.objects.filter(project_id=project_id, seq__gt=after).order_by("seq")
    items = _message_rows(newer[: limit + 1])
    return items[:limit], len(items) > limit


def room_state(*, project_id, user):
    """``(last_seq, read_seq)`` of a room for ``user``, in one query; the room is made when it
    has none yet."""
    marker = ReadMarker.objects.filter(project_id=OuterRef("project_id"), user=user)
    row = (
        ChatRoom.objects.filter(project_id=project_id)
        .annotate(read=Subquery(marker.values("seq")[:1]))
        .values_list("last_seq", "read")
        .first()
    )
    if row is None:
        room, _created = ChatRoom.objects.get_or_create(project_id=project_id)
        return room.last_seq, read_seq(project_id=project_id, user=user)
    return row[0], row[1] or 0


def read_seq(*, project_id, user):
    return (
        ReadMarker.objects.filter(project_id=project_id, user=user)
        .values_list("seq", flat=True)
        .first()
        or 0
    )


def last_seq(*, project_id):
    return (
        ChatRoom.objects.filter(project_id=project_id).values_list("last_seq", flat=True).first()
        or 0
    )


UNREAD_CAP = 99


def unread_counts(*, user, project_ids):
    """{project id: {"unread": n, "more": bool, "mentions": m}} for many projects, one query.

    Unread: others' messages (not deleted) after the person's read marker, counted among the
    last ``UNREAD_CAP`` + 1 messages of each room only, so the cost stays the same in a room of
    a hundred thousand messages never read; ``more`` says there are more than ``UNREAD_CAP``
    (shown as "99+"). Mentions: those unread messages that name the person (from the mention
    rows, which are few).
    """
    project_ids = list(project_ids)
    result = {pk: {"unread": 0, "more": False, "mentions": 0} for pk in project_ids}
    if not project_ids or not user.is_authenticated:
        return result
    marker = ReadMarker.objects.filter(project_id=OuterRef("project_id"), user=user).values("seq")
    last = ChatRoom.objects.filter(project_id=OuterRef("project_id")).values("last_seq")
    read_seq = Coalesce(Subquery(marker[:1]), Value(0))
    window = Greatest(read_seq, Coalesce(Subquery(last[:1]), Value(0)) - (UNREAD_CAP + 1))
    unread = (
        Message.objects.filter(project_id__in=project_ids, deleted_at__isnull=True)
        .exclude(author_id=user.pk)
        .alias(window=window)
        .filter(seq__gt=F("window"))
        .values("project_id")
        .annotate(unread=Count("pk"))
        .order_by()
    )
    for row in unread:
        result[row["project_id"]]["unread"] = min(row["unread"], UNREAD_CAP)
        result[row["project_id"]]["more"] = row["unread"] > UNREAD_CAP
    mentions = (
        Mention.objects.filter(user=user, project_id__in=project_ids)
        .alias(read_seq=read_seq)
        .filter(seq__gt=F("read_seq"))
        .values("project_id")
        .annotate(mentions=Count("pk"))
        .order_by()
    )
    for row in mentions:
        result[row["project_id"]]["mentions"] = row["mentions"]
    return result


def chat_projects_for_user(*, user):
    """The projects whose chat the person is on the team of, with unread and mention counts."""
    memberships = (
        TeamMembership.objects.filter(user=user)
        .select_related("project")
        .order_by("project__title")
    )
    projects = [membership.project for membership in memberships]
    counts = unread_counts(user=user, project_ids=[project.pk for project in projects])
    return [(project, counts[project.pk]) for project in projects]


def project_access(*, user, project):
    """What the consumer caches at connect: may chat, may delete others' messages."""
    allowed = can_chat(user, project)
    return allowed, allowed and can_coordinate(user, project)
