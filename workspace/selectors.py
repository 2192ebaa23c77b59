"""Reads of the workspace, with the person's access applied; lists in a constant number of
queries whatever the rows."""

from django.db.models import Count

from projects.models import ProjectPage
from projects.selectors import project_perms

from .models import DocumentVersion, Folder, ProjectDocument


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
