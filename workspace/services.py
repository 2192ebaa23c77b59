"""Every write of the project workspace: documents, folders, versions, tasks, meetings.

Each service checks who acts (the project's team, through ``projects``' guardian grants),
validates everything before it stores anything, and records what matters in the project's
audit trail.
"""

import functools
import logging
import secrets
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from core.audit import audit_record
from core.pagecache import cache_invalidate
from notifications.services import notification_create_many
from projects.models import TeamMembership
from projects.selectors import project_perms

from . import audit, notification_kinds, permissions
from .files import check_upload
from .models import (
    Attendance,
    DocumentSpace,
    DocumentVersion,
    Folder,
    Meeting,
    Milestone,
    ProjectDocument,
    ProjectUpdate,
    Task,
)
from .selectors import project_languages

WORKSPACES_COLLECTION = "Project workspaces"
logger = logging.getLogger(__name__)


def _check_team(user, project):
    if "enter_workspace" not in project_perms(user, project):
        raise PermissionDenied(_("Only the project's team can do this."))


def _is_coordinator(user, project):
    return "coordinate_project" in project_perms(user, project)


# --- Documents --------------------------------------------------------------------------------


def document_space(project):
    """The project's Wagtail collection, under "Project workspaces", made on first use."""
    space = DocumentSpace.objects.filter(project=project).select_related("collection").first()
    if space:
        return space.collection
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=WORKSPACES_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=WORKSPACES_COLLECTION)
    collection = parent.add_child(name=f"{project.title} ({project.pk})"[:255])
    DocumentSpace.objects.create(project=project, collection=collection)
    return collection


@transaction.atomic
def folder_create(*, project, user, name):
    _check_team(user, project)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the folder a name.")})
    if Folder.objects.filter(project=project, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a folder with this name.")})
    return Folder.objects.create(project=project, name=name, created_by=user)


_written = ContextVar("workspace_files_written", default=None)


def _files_removed_on_failure(service):
    """Run ``service`` (itself atomic) and, if it fails, delete the files ``_store`` wrote for
    it once its transaction has rolled back: a refused or failed upload leaves no file behind
    on disk. A caller that wraps the service in a transaction of its own and rolls that back
    later must remove the new versions' files itself (the views call the services outside any
    transaction)."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        written = []
        token = _written.set(written)
        try:
            return service(*args, **kwargs)
        except BaseException:
            for storage, name in written:
                try:
                    storage.delete(name)
                except OSError:
                    logger.exception("Could not remove %s after a failed upload", name)
            raise
        finally:
            _written.reset(token)

    return run


def _store(*, project, user, upload, title):
    """Save ``upload`` as a Wagtail document in the project's collection, under a random
    name: the stored path is never guessable from the file's own name."""
    extension, content_type = check_upload(upload)
    original = upload.name
    stored = UploadedFile(
        file=upload.file if hasattr(upload, "file") else upload,
        name=f"ws-{secrets.token_hex(16)}.{extension}",
        content_type=content_type,
        size=upload.size,
    )
    document = get_document_model()(
        title=title[:255],
        file=stored,
        collection=document_space(project),
        uploaded_by_user=user,
    )
    document.file_size = upload.size
    written = _written.get()
    try:
        document.save()
    finally:
        if written is not None and document.file.name:
            written.append((document.file.storage, document.file.name))
    return document, original.rsplit("/", 1)[-1][:255], content_type


def _check_folder(project, folder):
    if folder is not None and folder.project_id != project.pk:
        raise ValidationError({"folder": _("This folder belongs to another project.")})


@_files_removed_on_failure
@transaction.atomic
def document_upload(*, project, user, upload, title="", folder=None):
    """A team member adds a document (its first version); the team may read it."""
    _check_team(user, project)
    _check_folder(project, folder)
    title = (title or "").strip() or (upload.name if upload else "")
    wagtail_document, filename, content_type = _store(
        project=project, user=user, upload=upload, title=title
    )
    document = ProjectDocument.objects.create(
        project=project, folder=folder, title=title[:200], created_by=user
    )
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file=wagtail_document,
        filename=filename,
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    document.current = version
    document.save(update_fields=["current"])
    permissions.document_grant(document)
    audit_record(project, audit.DOCUMENT_UPLOAD, user=user, detail=filename)
    return document


@_files_removed_on_failure
@transaction.atomic
def document_version_add(*, document, user, upload):
    """A new file for ``document``; the earlier ones stay, each with who and when."""
    _check_team(user, document.project)
    document = ProjectDocument.objects.select_for_update().get(pk=document.pk)
    wagtail_document, filename, content_type = _store(
        project=document.project, user=user, upload=upload, title=document.title
    )
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        file=wagtail_document,
        filename=filename,
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    document.current = version
    document.save(update_fields=["current"])
    audit_record(document.project, audit.DOCUMENT_VERSION, user=user, detail=filename)
    return version


def document_download_count(document):
    ProjectDocument.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)


def _delete_versions(versions):
    """Remove the versions' Wagtail documents and their files from disk, after commit."""
    versions = list(versions.select_related("file"))
    files = [(v.file.file.storage, v.file.file.name) for v in versions]
    wagtail_ids = [v.file_id for v in versions]
    DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]).delete()
    get_document_model().objects.filter(pk__in=wagtail_ids).delete()

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def document_delete(*, document, user):
    """Whoever uploaded it, or a coordinator, deletes a document with all its versions."""
    _check_team(user, document.project)
    if document.created_by_id != user.pk and not _is_coordinator(user, document.project):
        raise PermissionDenied(_("Only who uploaded it or a coordinator can delete it."))
    title = document.title
    ProjectDocument.objects.filter(pk=document.pk).update(current=None)
    _delete_versions(DocumentVersion.objects.filter(document=document))
    document.delete()
    audit_record(document.project, audit.DOCUMENT_DELETE, user=user, detail=title)


@transaction.atomic
def project_workspace_purge(project):
    """Everything the workspace keeps for a project goes with it, files included."""
    ProjectDocument.objects.filter(project=project).update(current=None)
    _delete_versions(DocumentVersion.objects.filter(document__project=project))
    ProjectDocument.objects.filter(project=project).delete()
    space = DocumentSpace.objects.filter(project=project).select_related("collection").first()
    if space:
        collection = space.collection
        space.delete()
        collection.delete()


# --- Tasks and milestones ---------------------------------------------------------------------


def _check_coordinator(user, project):
    if not _is_coordinator(user, project):
        raise PermissionDenied(_("Only the project's coordinators can do this."))


@transaction.atomic
def milestone_create(*, project, user, title, due_on):
    _check_coordinator(user, project)
    milestone = Milestone(project=project, title=(title or "").strip(), due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


def _check_assignees(project, assignees):
    on_team = set(
        TeamMembership.objects.filter(
            project=project, user_id__in=[user.pk for user in assignees]
        ).values_list("user_id", flat=True)
    )
    outside = [user for user in assignees if user.pk not in on_team]
    if outside:
        raise ValidationError(
            {
                "assignees": _("%(names)s is not on the project's team.")
                % {"names": ", ".join(u.get_full_name() or u.username for u in outside)}
            }
        )


def _check_milestone(project, milestone):
    if milestone is not None and milestone.project_id != project.pk:
        raise ValidationError({"milestone": _("This milestone belongs to another project.")})


def _notify_assigned(task, users, by):
    users = [user for user in users if user.pk != by.pk]
    if not users:
        return
    title = task.title
    notification_create_many(
        users=users,
        kind=notification_kinds.TASK_ASSIGNED,
        render=lambda: (_("A task for you: “%(title)s”") % {"title": title}, ""),
        url=reverse("portal:project_task", args=[task.project_id, task.pk]),
        about=task.project_id,
    )


@transaction.atomic
def task_create(
    *,
    project,
    user,
    title,
    description="",
    assignees=(),
    due_on=None,
    milestone=None,
    status=Task.Status.TODO,
):
    """A team member adds a task; the people given it hear of it."""
    _check_team(user, project)
    assignees = list(assignees)
    _check_assignees(project, assignees)
    _check_milestone(project, milestone)
    task = Task(
        project=project,
        title=(title or "").strip(),
        description=description or "",
        due_on=due_on,
        milestone=milestone,
        status=status,
        created_by=user,
    )
    task.full_clean()
    task.save()
    task.assignees.set(assignees)
    _notify_assigned(task, assignees, user)
    audit_record(project, audit.TASK_CREATE, user=user, detail=task.title)
    return task


@transaction.atomic
def task_update(*, task, user, title, description, assignees, due_on, milestone, status):
    _check_team(user, task.project)
    task = Task.objects.select_for_update().get(pk=task.pk)
    assignees = list(assignees)
    _check_assignees(task.project, assignees)
    _check_milestone(task.project, milestone)
    before = set(task.assignees.values_list("pk", flat=True))
    task.title = (title or "").strip()
    task.description = description or ""
    if task.due_on != due_on:
        task.overdue_notified = False
    task.due_on = due_on
    task.milestone = milestone
    task.status = status
    task.full_clean()
    task.save()
    task.assignees.set(assignees)
    _notify_assigned(task, [u for u in assignees if u.pk not in before], user)
    return task


@transaction.atomic
def task_set_status(*, task, user, status):
    _check_team(user, task.project)
    if status not in Task.Status.values:
        raise ValidationError({"status": _("Choose to do, doing or done.")})
    Task.objects.filter(pk=task.pk).update(status=status)
    task.status = status
    audit_record(
        task.project,
        audit.TASK_STATUS,
        user=user,
        detail=f"{task.title} → {Task.Status(status).label}",
    )
    return task


def tasks_overdue_notify(today=None):
    """Tell the assignees of every task past its due date, once per due date."""
    today = today or timezone.localdate()
    overdue = (
        Task.objects.filter(due_on__lt=today, overdue_notified=False)
        .exclude(status=Task.Status.DONE)
        .prefetch_related("assignees")
    )
    count = 0
    for task in overdue:
        title = task.title
        if task.assignees.all():
            notification_create_many(
                users=list(task.assignees.all()),
                kind=notification_kinds.TASK_OVERDUE,
                render=lambda title=title: (
                    _("Overdue: “%(title)s”") % {"title": title},
                    "",
                ),
                url=reverse("portal:project_task", args=[task.project_id, task.pk]),
                about=task.project_id,
            )
        Task.objects.filter(pk=task.pk).update(overdue_notified=True)
        count += 1
    return count


# --- Meetings ---------------------------------------------------------------------------------


def _check_minutes_document(project, document):
    if document is not None and document.project_id != project.pk:
        raise ValidationError({"minutes_document": _("This document belongs to another project.")})


@transaction.atomic
def meeting_create(
    *,
    project,
    user,
    title,
    starts_at,
    ends_at,
    time_zone="Europe/Madrid",
    place="",
    online_url="",
    agenda="",
):
    """A team member plans a meeting; the rest of the team hears of it."""
    _check_team(user, project)
    meeting = Meeting(
        project=project,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        place=place or "",
        online_url=online_url or "",
        agenda=agenda or "",
        created_by=user,
    )
    meeting.full_clean()
    meeting.save()
    team = [
        row.user
        for row in TeamMembership.objects.filter(project=project)
        .exclude(user=user)
        .select_related("user")
    ]
    if team:
        title = meeting.title
        notification_create_many(
            users=team,
            kind=notification_kinds.MEETING,
            render=lambda: (_("New meeting: “%(title)s”") % {"title": title}, ""),
            url=reverse("portal:project_meeting", args=[project.pk, meeting.pk]),
            about=project,
        )
    audit_record(project, audit.MEETING_CREATE, user=user, detail=meeting.title)
    return meeting


@transaction.atomic
def meeting_minutes_set(*, meeting, user, minutes, minutes_document=None):
    _check_team(user, meeting.project)
    _check_minutes_document(meeting.project, minutes_document)
    meeting.minutes = minutes or ""
    meeting.minutes_document = minutes_document
    meeting.save(update_fields=["minutes", "minutes_document"])
    return meeting


@transaction.atomic
def attendance_answer(*, meeting, user, answer):
    """A team member says whether they come (yes, no, maybe); a later answer replaces it."""
    _check_team(user, meeting.project)
    if answer not in Attendance.Answer.values:
        raise ValidationError({"answer": _("Answer yes, no or maybe.")})
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting, user=user, defaults={"answer": answer, "answered_at": timezone.now()}
    )
    return row


# --- Public updates ---------------------------------------------------------------------------


@transaction.atomic
def update_publish(*, project, user, title, body, language, image_file=None):
    """A coordinator posts news on the project's public page (and in the site's feed)."""
    _check_coordinator(user, project)
    languages = project_languages(project)
    if language not in [code for code, _name in languages]:
        raise ValidationError(
            {
                "language": _(
                    "The project's public page is in %(languages)s: write its news in one of "
                    "these languages."
                )
                % {"languages": ", ".join(name for _code, name in languages)}
            }
        )
    update = ProjectUpdate(
        project=project,
        title=(title or "").strip(),
        body=(body or "").strip(),
        language=language,
        author=user,
    )
    update.full_clean(exclude=["image"])
    if image_file is not None:
        update.image = get_image_model().objects.create(
            title=update.title[:255], file=image_file, uploaded_by_user=user
        )
    update.save()
    transaction.on_commit(cache_invalidate)
    return update


@transaction.atomic
def update_delete(*, update, user):
    _check_coordinator(user, update.project)
    update.delete()
    transaction.on_commit(cache_invalidate)
