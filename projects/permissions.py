"""Who may do what with a project: the only module that grants or revokes its permissions.

Each project has two guardian groups, its team and its coordinators, holding object
permissions on the ProjectPage. Being in them follows from ``TeamMembership`` rows.
"""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from core.audit import audit_record

from . import audit
from .models import ProjectPage, ProjectPageUserObjectPermission, TeamMembership

TEAM_PERMS = ("view_project_draft", "enter_workspace")
COORDINATOR_PERMS = ("view_project_draft", "enter_workspace", "coordinate_project")


def group_name(project_id, role):
    return f"project-{project_id}-{role}"


def project_groups(project):
    """The (team, coordinators) groups of a project, created with their grants if new."""
    result = []
    for role, perms in (("team", TEAM_PERMS), ("coordinators", COORDINATOR_PERMS)):
        group, created = Group.objects.get_or_create(name=group_name(project.pk, role))
        if created:
            for perm in perms:
                assign_perm(f"projects.{perm}", group, project)
        result.append(group)
    return tuple(result)


def team_membership_grant(team_membership):
    team, coordinators = project_groups(team_membership.project)
    team_membership.user.groups.add(team)
    if team_membership.is_coordinator:
        team_membership.user.groups.add(coordinators)
    else:
        team_membership.user.groups.remove(coordinators)


def team_membership_revoke(*, project, user_ids):
    groups = Group.objects.filter(
        name__in=[group_name(project.pk, "team"), group_name(project.pk, "coordinators")]
    )
    for group in groups:
        group.user_set.remove(*user_ids)


def project_permissions_sync(project, *, fix=False):
    """Compare the grants with the team rows; return drift lines, repair if asked."""
    drift = []
    team, coordinators = project_groups(project)
    for group, expected in ((team, set(TEAM_PERMS)), (coordinators, set(COORDINATOR_PERMS))):
        actual = set(get_perms(group, project)) & {
            "view_project_draft",
            "enter_workspace",
            "coordinate_project",
        }
        for perm in expected - actual:
            drift.append(f"{project}: group {group.name} lacks {perm}")
            if fix:
                assign_perm(f"projects.{perm}", group, project)
        for perm in actual - expected:
            drift.append(f"{project}: group {group.name} has extra {perm}")
            if fix:
                remove_perm(f"projects.{perm}", group, project)
    rows = TeamMembership.objects.filter(project=project)
    expected_team = set(rows.values_list("user_id", flat=True))
    expected_coordinators = set(rows.filter(is_coordinator=True).values_list("user_id", flat=True))
    for group, expected in ((team, expected_team), (coordinators, expected_coordinators)):
        actual = set(group.user_set.values_list("id", flat=True))
        for user_id in expected - actual:
            drift.append(f"{project}: user {user_id} missing from {group.name}")
            if fix:
                group.user_set.add(user_id)
        for user_id in actual - expected:
            drift.append(f"{project}: user {user_id} should not be in {group.name}")
            if fix:
                group.user_set.remove(user_id)
    stray = ProjectPageUserObjectPermission.objects.filter(content_object=project)
    for row in stray:
        drift.append(f"{project}: direct grant {row.permission.codename} to user {row.user_id}")
    if fix:
        stray.delete()
        if drift:
            # Grants made or withdrawn by the repair belong in the audit trail too.
            audit_record(project, audit.PERMISSIONS_REPAIR, detail="; ".join(drift))
    return drift


def project_permissions_sync_all(*, fix=False):
    """Drift lines for every project (repaired if asked): what ``sync_permissions`` reports."""
    drift = []
    for project in ProjectPage.objects.order_by("pk"):
        drift.extend(project_permissions_sync(project, fix=fix))
    return drift


__all__ = [
    "ProjectPage",
    "project_groups",
    "project_permissions_sync",
    "project_permissions_sync_all",
    "team_membership_grant",
    "team_membership_revoke",
]
