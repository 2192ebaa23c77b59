"""Who may do what with an organization: the only module that grants or revokes its permissions.

Each organization has two guardian groups, its admins and its members, holding object
permissions on the organization's PartnerPage. A person's permissions follow from being in
those groups, which follows from their ``Membership`` rows.
"""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_perms_for_model, remove_perm

from .models import Membership, PartnerPage

MEMBER_PERMS = ("view_partner_draft",)
ADMIN_PERMS = (
    "view_partner_draft",
    "change_partner_profile",
    "manage_partner_members",
    "propose_project",
)


def group_name(organization_id, role):
    return f"partner-{organization_id}-{role}s"


def organization_groups(organization):
    """The (admins, members) groups of an organization, created with their grants if new."""
    groups = {}
    for role, perms in (
        (Membership.Role.ADMIN, ADMIN_PERMS),
        (Membership.Role.MEMBER, MEMBER_PERMS),
    ):
        group, created = Group.objects.get_or_create(name=group_name(organization.pk, role))
        if created:
            for perm in perms:
                assign_perm(f"partners.{perm}", group, organization)
        groups[role] = group
    return groups[Membership.Role.ADMIN], groups[Membership.Role.MEMBER]


def membership_grant(membership):
    """Put the person in the group of their role, and out of the other one."""
    admins, members = organization_groups(membership.organization)
    if membership.role == Membership.Role.ADMIN:
        membership.user.groups.add(admins)
        membership.user.groups.remove(members)
    else:
        membership.user.groups.add(members)
        membership.user.groups.remove(admins)


def membership_revoke(*, user, organization):
    user.groups.remove(
        *Group.objects.filter(
            name__in=[group_name(organization.pk, role) for role in Membership.Role.values]
        )
    )


def organization_permissions_sync(organization, *, fix=False):
    """Compare the grants with what the memberships say; return drift lines, repair if asked."""
    drift = []
    admins, members = organization_groups(organization)
    expected_group_perms = {admins: set(ADMIN_PERMS), members: set(MEMBER_PERMS)}
    model_perms = {p.codename for p in get_perms_for_model(PartnerPage)}
    from guardian.shortcuts import get_perms

    for group, expected in expected_group_perms.items():
        actual = set(get_perms(group, organization)) & model_perms
        for perm in expected - actual:
            drift.append(f"{organization}: group {group.name} lacks {perm}")
            if fix:
                assign_perm(f"partners.{perm}", group, organization)
        for perm in actual - expected:
            drift.append(f"{organization}: group {group.name} has extra {perm}")
            if fix:
                remove_perm(f"partners.{perm}", group, organization)
    expected_users = {
        Membership.Role.ADMIN: set(
            organization.memberships.filter(role=Membership.Role.ADMIN).values_list(
                "user_id", flat=True
            )
        ),
        Membership.Role.MEMBER: set(
            organization.memberships.filter(role=Membership.Role.MEMBER).values_list(
                "user_id", flat=True
            )
        ),
    }
    for role, group in ((Membership.Role.ADMIN, admins), (Membership.Role.MEMBER, members)):
        actual = set(group.user_set.values_list("id", flat=True))
        for user_id in expected_users[role] - actual:
            drift.append(f"{organization}: user {user_id} missing from {group.name}")
            if fix:
                group.user_set.add(user_id)
        for user_id in actual - expected_users[role]:
            drift.append(f"{organization}: user {user_id} should not be in {group.name}")
            if fix:
                group.user_set.remove(user_id)
    # Direct user grants are never made by this app: any is drift.
    from .models import PartnerPageUserObjectPermission

    stray = PartnerPageUserObjectPermission.objects.filter(content_object=organization)
    for row in stray:
        drift.append(
            f"{organization}: direct grant {row.permission.codename} to user {row.user_id}"
        )
    if fix:
        stray.delete()
    return drift
