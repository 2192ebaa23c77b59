"""Reads of the chat: history, catching up, unread and mention counts."""

from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from guardian.shortcuts import get_users_with_perms

from projects.models import ProjectPage, TeamMembership
from projects.selectors import can_coordinate, can_enter_workspace, can_view_project

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


def message_latest_rows(*, project_id, limit=HELLO_MESSAGES):
    """The newest ``limit`` messages as model instances with their authors, oldest first."""
    rows = list(
        Message.objects.filter(project_id=project_id)
        .select_related("author")
        .order_by("-seq")[:limit]
    )
    rows.reverse()
    return rows


def message_latest(*, project_id, limit=HELLO_MESSAGES):
    """The newest ``limit`` messages, oldest first."""
    return [
        events.message_dict(row)
        for row in message_latest_rows(project_id=project_id, limit=limit)
    ]


def message_history(*, project_id, before, limit):
    """Up to ``limit`` messages with seq < ``before``, oldest first, and whether older exist."""
    rows = list(
        Message.objects.filter(project_id=project_id, seq__lt=before)
        .select_related("author")
        .order_by("-seq")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    return [events.message_dict(row) for row in rows], has_more


def message_sync(*, project_id, after, limit=SYNC_PAGE):
    """Up to ``limit`` messages with seq > ``after``, oldest first, and whether newer exist."""
    rows = list(
        Message.objects.filter(project_id=project_id, seq__gt=after)
        .select_related("author")
        .order_by("seq")[: limit + 1]
    )
    return [events.message_dict(row) for row in rows[:limit]], len(rows) > limit


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
