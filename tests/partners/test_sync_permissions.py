"""``manage.py sync_permissions``: every grant re-derived from the memberships."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from guardian.shortcuts import assign_perm, remove_perm
from wagtail import hooks

from partners.models import PartnerPage, PartnerPageGroupObjectPermission
from partners.permissions import group_name, organization_permissions_sync, permissions_sync
from tests.factories import UserFactory
from tests.utils import approved_organization, organization_with_member

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("sync_permissions", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_organizations():
    first, member = organization_with_member()
    second = approved_organization()
    return first, member, second


def test_no_drift_after_normal_use(two_organizations):
    assert "No drift" in run()
    assert permissions_sync() == []


def _break_everything(first, member, second):
    admins = Group.objects.get(name=group_name(first.pk, "admin"))
    members = Group.objects.get(name=group_name(first.pk, "member"))
    stranger = UserFactory()
    members.user_set.remove(member)  # a member lost their group
    admins.user_set.add(stranger)  # someone not in the organization became admin
    remove_perm("partners.manage_partner_members", admins, first)  # a group grant lost
    assign_perm("partners.change_partner_profile", members, first)  # a group grant too many
    assign_perm("partners.change_partner_profile", stranger, second)  # a direct grant
    Group.objects.get(name=group_name(second.pk, "member")).delete()  # a group lost
    rogue = Group.objects.create(name="Friends of the cluster")
    assign_perm("partners.view_partner_draft", rogue, second)  # another group's grant
    return stranger


def test_drift_is_reported_and_exits_non_zero(two_organizations):
    first, member, second = two_organizations
    stranger = _break_everything(first, member, second)
    with pytest.raises(CommandError, match="7 difference"):
        run()
    lines = permissions_sync()
    assert sorted(line.split(": ", 1)[1] for line in lines) == sorted(
        [
            f"user {member.pk} is missing from {group_name(first.pk, 'member')}",
            f"user {stranger.pk} should not be in {group_name(first.pk, 'admin')}",
            f"group {group_name(first.pk, 'admin')} lacks manage_partner_members",
            f"group {group_name(first.pk, 'member')} has extra change_partner_profile "
            f"on #{first.pk}",
            f"direct grant of change_partner_profile to user {stranger.pk}",
            f"group {group_name(second.pk, 'member')} is missing",
            "group Friends of the cluster holds view_partner_draft but is not the organization's",
        ]
    )


def test_fix_repairs_every_drift(two_organizations):
    first, member, second = two_organizations
    stranger = _break_everything(first, member, second)
    out = run("--fix")
    assert "Repaired 7 difference(s)." in out
    assert "No drift" in run()
    from django.contrib.auth import get_user_model

    User = get_user_model()
    member, stranger = User.objects.get(pk=member.pk), User.objects.get(pk=stranger.pk)
    admin = User.objects.get(pk=first.memberships.get(role="admin").user_id)
    assert member.has_perm("partners.view_partner_draft", first)
    assert not member.has_perm("partners.change_partner_profile", first)
    assert admin.has_perm("partners.manage_partner_members", first)
    assert not stranger.has_perm("partners.manage_partner_members", first)
    assert not stranger.has_perm("partners.change_partner_profile", second)
    assert Group.objects.filter(name=group_name(second.pk, "member")).exists()
    assert not PartnerPageGroupObjectPermission.objects.filter(group__name__startswith="Friends")


def test_a_deleted_organizations_groups_are_drift(two_organizations):
    first, _member, second = two_organizations
    PartnerPage.objects.get(pk=second.pk).delete()
    lines = permissions_sync()
    assert f"group {group_name(second.pk, 'admin')} outlived its organization" in "\n".join(lines)
    run("--fix")
    assert not Group.objects.filter(name__startswith=f"partner-{second.pk}-").exists()
    assert Group.objects.filter(name__startswith=f"partner-{first.pk}-").count() == 2


def test_one_organization_can_be_checked_alone(two_organizations):
    first, member, second = two_organizations
    Group.objects.get(name=group_name(second.pk, "admin")).user_set.clear()
    assert organization_permissions_sync(first) == []
    assert len(organization_permissions_sync(second)) == 1
    organization_permissions_sync(second, fix=True)
    assert organization_permissions_sync(second) == []


def test_the_command_gathers_every_apps_sync_function(two_organizations):
    calls = []

    def other_app_sync(fix):
        calls.append(fix)
        return [] if fix else ["project #1: a stray grant"]

    with hooks.register_temporarily("register_permission_sync", other_app_sync):
        with pytest.raises(CommandError, match="1 difference"):
            run()
        assert "fixed: project #1: a stray grant" not in run("--fix")
    assert calls == [False, True]
