"""Who may do what in a community: the only module that grants or revokes its permissions.

Each community has two guardian groups holding object permissions on the ``Community``: its
members and its facilitators (a facilitator is in both). Being in them follows from active
``CommunityMembership`` rows. The facilitators' group also owns the task of the community's
Wagtail review workflow, and members-only knowledge items carry a view restriction to the
members' group and the editors' groups.
"""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_perms, remove_perm
from wagtail.models import (
    GroupApprovalTask,
    PageViewRestriction,
    Workflow,
    WorkflowTask,
)

from core.roles import EDITORS_GROUP

from .models import Community, CommunityMembership, CommunityUserObjectPermission

MEMBER_PERMS = ("view_community_content", "take_part")
FACILITATOR_PERMS = ("view_community_content", "take_part", "facilitate")
ALL_PERMS = FACILITATOR_PERMS


def group_name(community_id, role):
    return f"community-{community_id}-{role}"


def community_groups(community):
    """The (members, facilitators) groups of a community, created with their grants if new."""
    result = []
    for role, perms in (("members", MEMBER_PERMS), ("facilitators", FACILITATOR_PERMS)):
        group, created = Group.objects.get_or_create(name=group_name(community.pk, role))
        if created:
            for perm in perms:
                assign_perm(f"knowledge.{perm}", group, community)
        result.append(group)
    return tuple(result)


def community_workflow(community):
    """The community's review workflow (its facilitators' and the editors' approval)."""
    if community.workflow_id:
        return community.workflow
    _members, facilitators = community_groups(community)
    workflow = Workflow.objects.create(name=f"Community review: {community.name}"[:255])
    task = GroupApprovalTask.objects.create(name=f"Facilitators of {community.name}"[:255])
    task.groups.add(facilitators, *Group.objects.filter(name=EDITORS_GROUP))
    # Not workflow.workflow_tasks.create(): that modelcluster relation only saves with the
    # workflow, which would then have no task and approve everything at once.
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    community.workflow = workflow
    community.save(update_fields=["workflow"])
    return workflow


def membership_grant(membership):
    members, facilitators = community_groups(membership.community)
    membership.user.groups.add(members)
    if membership.role == CommunityMembership.Role.FACILITATOR:
        membership.user.groups.add(facilitators)
    else:
        membership.user.groups.remove(facilitators)


def membership_revoke(*, community, user_ids):
    for group in Group.objects.filter(
        name__in=[group_name(community.pk, "members"), group_name(community.pk, "facilitators")]
    ):
        group.user_set.remove(*user_ids)


def item_restriction_set(item):
    """Members-only items are readable by the community's members and the editors only."""
    restrictions = PageViewRestriction.objects.filter(page=item)
    if not item.members_only:
        restrictions.delete()
        return
    members, _facilitators = community_groups(item.community)
    restriction = restrictions.first() or PageViewRestriction.objects.create(
        page=item, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([members, *Group.objects.filter(name=EDITORS_GROUP)])


def community_permissions_sync(community, *, fix=False):
    """Compare the grants with the membership rows; return drift lines, repair if asked."""
    drift = []
    members, facilitators = community_groups(community)
    for group, expected in ((members, set(MEMBER_PERMS)), (facilitators, set(FACILITATOR_PERMS))):
        actual = set(get_perms(group, community)) & set(ALL_PERMS)
        for perm in expected - actual:
            drift.append(f"{community}: group {group.name} lacks {perm}")
            if fix:
                assign_perm(f"knowledge.{perm}", group, community)
        for perm in actual - expected:
            drift.append(f"{community}: group {group.name} has extra {perm}")
            if fix:
                remove_perm(f"knowledge.{perm}", group, community)
    rows = CommunityMembership.objects.filter(
        community=community, status=CommunityMembership.Status.ACTIVE
    )
    expected_members = set(rows.values_list("user_id", flat=True))
    expected_facilitators = set(
        rows.filter(role=CommunityMembership.Role.FACILITATOR).values_list("user_id", flat=True)
    )
    for group, expected in ((members, expected_members), (facilitators, expected_facilitators)):
        actual = set(group.user_set.values_list("id", flat=True))
        for user_id in expected - actual:
            drift.append(f"{community}: user {user_id} missing from {group.name}")
            if fix:
                group.user_set.add(user_id)
        for user_id in actual - expected:
            drift.append(f"{community}: user {user_id} should not be in {group.name}")
            if fix:
                group.user_set.remove(user_id)
    stray = CommunityUserObjectPermission.objects.filter(content_object=community)
    for row in stray:
        drift.append(f"{community}: direct grant {row.permission.codename} to user {row.user_id}")
    if fix:
        stray.delete()
    return drift


def community_permissions_sync_all(*, fix=False):
    drift = []
    for community in Community.objects.order_by("pk"):
        drift.extend(community_permissions_sync(community, fix=fix))
    return drift
