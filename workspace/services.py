"""Every write of the project workspace: documents, folders, versions, tasks, meetings.

Each service checks who acts (the project's team, through ``projects``' guardian grants),
validates everything before it stores anything, and records what matters in the project's
audit trail.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from core.audit import audit_record
from projects.selectors import project_perms

from . import audit, permissions
from .files import check_upload
from .models import DocumentSpace, DocumentVersion, Folder, ProjectDocument

WORKSPACES_COLLECTION = "Project workspaces"


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
    document.save()
    return document, original.rsplit("/", 1)[-1][:255], content_type


def _check_folder(project, folder):
    if folder is not None and folder.project_id != project.pk:
        raise ValidationError({"folder": _("This folder belongs to another project.")})


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
