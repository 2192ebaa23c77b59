"""Who may do what in a training programme: the only module that grants or revokes its
permissions.

Each programme has three guardian groups holding object permissions on the ``Programme``: its
staff (every role reads learners), its trainers (and coordinators: they record attendance) and
its coordinators (they run it). Being in them follows from ``StaffMember`` rows only.
"""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from .models import Programme, ProgrammeUserObjectPermission, StaffMember

GROUP_PERMS = {
    "staff": ("view_learners",),
    "trainers": ("view_learners", "take_attendance"),
    "coordinators": ("view_learners", "take_attendance", "manage_programme"),
}
ROLE_GROUPS = {
    StaffMember.Role.MENTOR: ("staff",),
    StaffMember.Role.TRAINER: ("staff", "trainers"),
    StaffMember.Role.COORDINATOR: ("staff", "trainers", "coordinators"),
}
ALL_PERMS = GROUP_PERMS["coordinators"]


def group_name(programme_id, kind):
    return f"training-{programme_id}-{kind}"


def programme_groups(programme):
    """{kind: group} of a programme, created with their grants if new."""
    groups = {}
    for kind, perms in GROUP_PERMS.items():
        group, created = Group.objects.get_or_create(name=group_name(programme.pk, kind))
        if created:
            for perm in perms:
                assign_perm(f"training.{perm}", group, programme)
        groups[kind] = group
    return groups


def staff_grant(staff):
    groups = programme_groups(staff.programme)
    wanted = ROLE_GROUPS[staff.role]
    for kind, group in groups.items():
        if kind in wanted:
            staff.user.groups.add(group)
        else:
            staff.user.groups.remove(group)


def staff_revoke(*, programme_id, user_ids):
    for group in Group.objects.filter(
        name__in=[group_name(programme_id, kind) for kind in GROUP_PERMS]
    ):
        group.user_set.remove(*user_ids)


def programme_permissions_sync(programme, *, fix=False):
    """Compare the grants with the staff rows; return drift lines, repair if asked."""
    drift = []
    groups = programme_groups(programme)
    for kind, group in groups.items():
        expected = set(GROUP_PERMS[kind])
        actual = set(get_perms(group, programme)) & set(ALL_PERMS)
        for perm in expected - actual:
            drift.append(f"{programme}: group {group.name} lacks {perm}")
            if fix:
                assign_perm(f"training.{perm}", group, programme)
        for perm in actual - expected:
            drift.append(f"{programme}: group {group.name} has extra {perm}")
            if fix:
                remove_perm(f"training.{perm}", group, programme)
        wanted_roles = [role for role, kinds in ROLE_GROUPS.items() if kind in kinds]
        expected_users = set(
            StaffMember.objects.filter(programme=programme, role__in=wanted_roles).values_list(
                "user_id", flat=True
            )
        )
        actual_users = set(group.user_set.values_list("id", flat=True))
        for user_id in expected_users - actual_users:
            drift.append(f"{programme}: user {user_id} missing from {group.name}")
            if fix:
                group.user_set.add(user_id)
        for user_id in actual_users - expected_users:
            drift.append(f"{programme}: user {user_id} should not be in {group.name}")
            if fix:
                group.user_set.remove(user_id)
    stray = ProgrammeUserObjectPermission.objects.filter(content_object=programme)
    for row in stray:
        drift.append(f"{programme}: direct grant {row.permission.codename} to user {row.user_id}")
    if fix:
        stray.delete()
    return drift


def programme_permissions_sync_all(*, fix=False):
    drift = []
    for programme in Programme.objects.order_by("pk"):
        drift.extend(programme_permissions_sync(programme, fix=fix))
    return drift
