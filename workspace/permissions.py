"""Who may read a workspace document: the only module that grants or revokes its permissions.

Each document's ``read_document`` permission is granted to the project's team group (kept by
``projects`` from its team rows), so a person who leaves the team, or whose organization
leaves the project, loses every document at once without a grant of ours to undo.
"""

from guardian.shortcuts import assign_perm, get_groups_with_perms

from projects.permissions import project_groups

READ = "workspace.read_document"


def document_grant(document):
    team, _coordinators = project_groups(document.project)
    assign_perm(READ, team, document)


def document_permissions_sync(document, *, fix=False):
    """Drift lines when the team group lacks its grant on ``document`` (repaired if asked)."""
    team, _coordinators = project_groups(document.project)
    if team in get_groups_with_perms(document):
        return []
    if fix:
        assign_perm(READ, team, document)
    return [f"{document}: group {team.name} lacks read_document"]


def documents_permissions_sync_all(*, fix=False):
    from .models import ProjectDocument

    drift = []
    for document in ProjectDocument.objects.select_related("project").order_by("pk"):
        drift.extend(document_permissions_sync(document, fix=fix))
    return drift
