"""Reads of the workspace, with the person's access applied; lists in a constant number of
queries whatever the rows."""

from django.conf import settings
from django.core import signing
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from projects.models import ProjectPage
from projects.selectors import project_perms

from .models import (
    Attendance,
    DocumentVersion,
    Folder,
    Meeting,
    Milestone,
    ProjectDocument,
    ProjectUpdate,
    Task,
)

FEED_SALT = "workspace.meetings-feed"


def workspace_project(user, page_id):
    """(project, perms) when ``user`` is on the project's team, else (None, set())."""
    project = ProjectPage.objects.filter(pk=page_id).first()
    if project is None:
        return None, set()
    perms = project_perms(user, project)
    if "enter_workspace" not in perms:
        return None, set()
    return project, perms


def folders_list(project):
    return list(Folder.objects.filter(project=project).annotate(document_count=Count("documents")))


def documents_list(project, *, folder=None):
    documents = ProjectDocument.objects.filter(project=project).select_related(
        "folder", "current", "current__uploaded_by", "created_by"
    )
    if folder is not None:
        documents = documents.filter(folder=folder)
    return list(documents)


def document_get_for_user(user, project, document_id):
    """The document if ``user`` may read it (the team's grant), else None: same answer for
    missing and forbidden."""
    document = (
        ProjectDocument.objects.filter(project=project, pk=document_id)
        .select_related("project", "folder", "current", "created_by")
        .first()
    )
    if document is None or not user.has_perm("workspace.read_document", document):
        return None
    return document


def document_versions(document):
    return list(
        DocumentVersion.objects.filter(document=document).select_related("uploaded_by", "file")
    )


def version_get(document, version_id):
    return (
        DocumentVersion.objects.filter(document=document, pk=version_id)
        .select_related("file")
        .first()
    )


# --- Tasks and milestones ---------------------------------------------------------------------


def team_people(project):
    """The project's team, as users, for choosing assignees (one query)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(team_memberships__project=project)
        .order_by("first_name", "last_name", "username")
    )


def milestones_list(project):
    return list(
        Milestone.objects.filter(project=project).annotate(
            task_count=Count("tasks"),
            done_count=Count("tasks", filter=Q(tasks__status=Task.Status.DONE)),
        )
    )


def tasks_list(project, *, assignee_id=None, status=None):
    tasks = (
        Task.objects.filter(project=project)
        .select_related("milestone")
        .prefetch_related("assignees")
    )
    if assignee_id:
        tasks = tasks.filter(assignees__pk=assignee_id)
    if status in Task.Status.values:
        tasks = tasks.filter(status=status)
    return list(tasks)


def tasks_board(project):
    """[(status, label, tasks)] in the order to do, doing, done."""
    tasks = tasks_list(project)
    return [
        (value, label, [task for task in tasks if task.status == value])
        for value, label in Task.Status.choices
    ]


def task_get(project, task_id):
    return (
        Task.objects.filter(project=project, pk=task_id)
        .select_related("milestone", "created_by")
        .prefetch_related("assignees")
        .first()
    )


def my_open_tasks(user, limit=20):
    """The person's unfinished tasks across the projects whose team they are on."""
    if not user.is_authenticated:
        return []
    return list(
        Task.objects.filter(assignees=user, project__team__user=user)
        .exclude(status=Task.Status.DONE)
        .select_related("project", "milestone")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    )


# --- Meetings ---------------------------------------------------------------------------------


def meetings_list(project):
    """(upcoming, past) meetings, each with its attendance answers, in constant queries."""
    meetings = list(
        Meeting.objects.filter(project=project)
        .select_related("minutes_document")
        .annotate(
            yes_count=Count("attendances", filter=Q(attendances__answer="yes")),
            maybe_count=Count("attendances", filter=Q(attendances__answer="maybe")),
        )
    )
    now = timezone.now()
    upcoming = [m for m in meetings if m.ends_at >= now]
    past = [m for m in reversed(meetings) if m.ends_at < now]
    return upcoming, past


def meeting_get(project, meeting_id):
    return (
        Meeting.objects.filter(project=project, pk=meeting_id)
        .select_related("minutes_document", "created_by")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("user"))
        )
        .first()
    )


def project_documents_for_choice(project):
    return ProjectDocument.objects.filter(project=project).order_by("title")


def training_materials(project):
    """The project's documents as materials a training session may hand out (its programme's
    staff are on the project's team, who read them), in one query."""
    from django.urls import reverse
    from django.utils.translation import gettext

    source = gettext("Project documents")
    return [
        {
            "key": f"workspace:document:{document.pk}",
            "title": document.title,
            "url": reverse("portal:project_document", args=[project.pk, document.pk]),
            "source": source,
        }
        for document in project_documents_for_choice(project)
    ]


def feed_token(user):
    """The signed, private part of a person's calendar URLs (no expiry: leaving the team is
    what ends what the feed shows)."""
    return signing.dumps(user.pk, salt=FEED_SALT)


def feed_user(token):
    from django.contrib.auth import get_user_model

    try:
        user_id = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def meetings_for_feed(user, project=None):
    """Meetings of the projects whose team ``user`` is on (of one project if given)."""
    meetings = Meeting.objects.filter(project__team__user=user).select_related("project")
    if project is not None:
        meetings = meetings.filter(project=project)
    return list(meetings.order_by("starts_at")[:500])


# --- Public updates ---------------------------------------------------------------------------


def project_languages(project):
    """The languages the project's public texts are written in, as ``(code, name)``: its
    original language first, then those it has translations in. Its news is written in one of
    them."""
    codes = {project.original_language, *(project.text_translations or {})}
    return sorted(
        ((code, name) for code, name in settings.LANGUAGES if code in codes),
        key=lambda language: language[0] != project.original_language,
    )


def _in_project_languages(update):
    project = update.project
    return update.language == project.original_language or update.language in (
        project.text_translations or {}
    )


def updates_of_project(project, limit=None, public=False):
    """The project's news, newest first; ``public``: only those in the project's current
    languages (news in a language the project dropped leaves its public page)."""
    updates = ProjectUpdate.objects.filter(project=project).select_related("image", "author")
    if public:
        updates = updates.filter(language__in=[code for code, _name in project_languages(project)])
    return list(updates[:limit] if limit else updates)


def updates_latest(limit=20):
    """The newest updates of published projects in their projects' languages, for the site's
    feed (at most ``limit``)."""
    updates = ProjectUpdate.objects.filter(project__live=True).select_related("project")
    return [update for update in updates[:limit] if _in_project_languages(update)]


def update_get(project, update_id):
    return ProjectUpdate.objects.filter(project=project, pk=update_id).first()
