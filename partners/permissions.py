"""Who may do what with an organization: the only module that grants or revokes its permissions.

Each organization has two guardian groups, its admins and its members, holding object
permissions on the organization's PartnerPage. A person's permissions follow from being in
those groups, which follows from their ``Membership`` rows. ``permissions_sync`` re-derives
all of it from the memberships and reports (or repairs) any difference.
"""

import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import audit_record

from . import audit
from .models import (
    Membership,
    PartnerPage,
    PartnerPageGroupObjectPermission,
    PartnerPageUserObjectPermission,
)

MEMBER_PERMS = ("view_partner_draft",)
ADMIN_PERMS = (
    "view_partner_draft",
    "change_partner_profile",
    "manage_partner_members",
    "propose_project",
)
ROLE_PERMS = {Membership.Role.ADMIN: ADMIN_PERMS, Membership.Role.MEMBER: MEMBER_PERMS}
GROUP_NAME = re.compile(r"^partner-(\d+)-(admin|member)s$")


def group_name(organization_id, role):
    return f"partner-{organization_id}-{role}s"


def organization_groups(organization):
    """The (admins, members) groups of an organization, created with their grants if new."""
    groups = {}
    for role, perms in ROLE_PERMS.items():
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
    """Compare one organization's grants with its memberships; return drift, repair if asked."""
    return permissions_sync(fix=fix, organizations=[organization])


def permissions_sync(*, fix=False, organizations=None):
    """Compare every organization's grants with the memberships, in a fixed number of queries.

    Returns one line per difference; with ``fix`` each is repaired as it is found. Covers
    missing groups, group grants missing or extra, people in the wrong group, grants made
    straight to a person (this app never makes any), grants to groups that are not an
    organization's, and groups left behind by a deleted organization.
    """
    User = get_user_model()
    membership_rows = Membership.objects.all()
    organizations_qs = PartnerPage.objects.all()
    if organizations is not None:
        ids = [o.pk for o in organizations]
        membership_rows = membership_rows.filter(organization_id__in=ids)
        organizations_qs = organizations_qs.filter(pk__in=ids)
    titles = dict(organizations_qs.values_list("pk", "title"))
    drift = []

    repaired = defaultdict(list)

    def report(organization_id, text):
        label = titles.get(organization_id, "deleted organization")
        drift.append(f"{label} (#{organization_id}): {text}")
        repaired[organization_id].append(text)

    expected_users = defaultdict(set)
    for organization_id, user_id, role in membership_rows.values_list(
        "organization_id", "user_id", "role"
    ):
        expected_users[group_name(organization_id, role)].add(user_id)

    candidates = Group.objects.filter(name__startswith="partner-")
    if organizations is not None:
        candidates = candidates.filter(
            name__in=[group_name(pk, role) for pk in titles for role in ROLE_PERMS]
        )
    groups = {g.name: g for g in candidates if GROUP_NAME.match(g.name)}

    loaded = {}

    def organization(pk):
        if pk not in loaded:
            loaded[pk] = PartnerPage.objects.get(pk=pk)
        return loaded[pk]

    for pk in titles:
        for role in ROLE_PERMS:
            name = group_name(pk, role)
            if name not in groups:
                report(pk, f"group {name} is missing")
                if fix:
                    organization_groups(organization(pk))
                    groups[name] = Group.objects.get(name=name)

    for name, group in list(groups.items()):
        pk = int(GROUP_NAME.match(name).group(1))
        if pk not in titles:
            report(pk, f"group {name} outlived its organization")
            if fix:
                group.delete()
                del groups[name]

    actual_perms = defaultdict(set)
    stray_group_grants = []
    grant_rows = PartnerPageGroupObjectPermission.objects.values_list(
        "pk", "group_id", "group__name", "content_object_id", "permission__codename"
    )
    if organizations is not None:
        grant_rows = grant_rows.filter(content_object_id__in=list(titles))
    for row_pk, _group_id, name, object_id, codename in grant_rows:
        if name in groups:
            actual_perms[name].add((object_id, codename))
        else:
            stray_group_grants.append(row_pk)
            report(object_id, f"group {name} holds {codename} but is not the organization's")
    if fix and stray_group_grants:
        PartnerPageGroupObjectPermission.objects.filter(pk__in=stray_group_grants).delete()

    for name, group in groups.items():
        match = GROUP_NAME.match(name)
        pk, role = int(match.group(1)), match.group(2)
        expected = {(pk, perm) for perm in ROLE_PERMS[role]}
        for object_id, perm in sorted(expected - actual_perms[name]):
            report(pk, f"group {name} lacks {perm}")
            if fix:
                assign_perm(f"partners.{perm}", group, organization(object_id))
        for object_id, perm in sorted(actual_perms[name] - expected):
            report(object_id, f"group {name} has extra {perm} on #{object_id}")
            if fix:
                remove_perm(f"partners.{perm}", group, organization(object_id))

    through = User.groups.through
    actual_users = defaultdict(set)
    for group_id, user_id in through.objects.filter(
        group_id__in=[g.pk for g in groups.values()]
    ).values_list("group_id", "user_id"):
        actual_users[group_id].add(user_id)
    for name, group in groups.items():
        pk = int(GROUP_NAME.match(name).group(1))
        for user_id in sorted(expected_users[name] - actual_users[group.pk]):
            report(pk, f"user {user_id} is missing from {name}")
            if fix:
                group.user_set.add(user_id)
        for user_id in sorted(actual_users[group.pk] - expected_users[name]):
            report(pk, f"user {user_id} should not be in {name}")
            if fix:
                group.user_set.remove(user_id)

    # This app never grants to a person directly: any such row is drift.
    direct = PartnerPageUserObjectPermission.objects.values_list(
        "pk", "user_id", "content_object_id", "permission__codename"
    )
    if organizations is not None:
        direct = direct.filter(content_object_id__in=list(titles))
    direct = list(direct)
    for _row, user_id, object_id, codename in direct:
        report(object_id, f"direct grant of {codename} to user {user_id}")
    if fix and direct:
        PartnerPageUserObjectPermission.objects.filter(pk__in=[row[0] for row in direct]).delete()
    if fix:
        # Grants made or withdrawn by the repair belong in the audit trail too.
        for pk, lines in repaired.items():
            if pk in titles:
                audit_record(organization(pk), audit.PERMISSIONS_REPAIR, detail="; ".join(lines))
    return drift
