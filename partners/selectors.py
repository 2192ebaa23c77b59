"""Reads about organizations that depend on who is asking."""

from cluster.roles import is_editor

from .models import Membership


def organization_ids_administered(user):
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list(
            "organization_id", flat=True
        )
    )


def organization_ids_of_user(user):
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def can_view_organization(user, organization):
    if organization.live:
        return True
    return is_editor(user) or user.has_perm("partners.view_partner_draft", organization)


def can_edit_organization(user, organization):
    return is_editor(user) or user.has_perm("partners.change_partner_profile", organization)


def can_manage_members(user, organization):
    return user.has_perm("partners.manage_partner_members", organization)


def can_propose_project(user, organization):
    return is_editor(user) or user.has_perm("partners.propose_project", organization)
