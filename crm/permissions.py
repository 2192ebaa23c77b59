"""Who may do what in an organization's CRM: the only module that grants or revokes its
permissions.

Each contact book has three guardian groups holding object permissions on the ``ContactBook``:
viewers (``view_contacts``), editors (and ``change_contacts``) and exporters (and
``export_contacts``). Being in one follows from the person's ``CrmRole`` row, which only a
member of the organization may hold; the organization's admins give and take the roles. Access
also needs the membership itself at the moment of the request, so no grant outlives it, and
being a superuser or an editor of the portal gives nothing here.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm

from partners.models import Membership

from .models import ContactBook, CrmRole

ROLE_PERMS = {
    CrmRole.Role.VIEWER: ("view_contacts",),
    CrmRole.Role.EDITOR: ("view_contacts", "change_contacts"),
    CrmRole.Role.EXPORTER: ("view_contacts", "change_contacts", "export_contacts"),
}


def group_name(book_id, role):
    return f"crm-{book_id}-{role}s"


def book_groups(book):
    """{role: group} of a book, created with their grants if new."""
    groups = {}
    for role, perms in ROLE_PERMS.items():
        group, created = Group.objects.get_or_create(name=group_name(book.pk, role))
        if created:
            for perm in perms:
                assign_perm(f"crm.{perm}", group, book)
        groups[role] = group
    return groups


def role_grant(crm_role):
    """Put the person in the group of their CRM role, and out of the others."""
    groups = book_groups(crm_role.book)
    crm_role.user.groups.remove(*[g for role, g in groups.items() if role != crm_role.role])
    crm_role.user.groups.add(groups[crm_role.role])


def role_revoke(*, book, user_ids):
    for group in Group.objects.filter(name__in=[group_name(book.pk, r) for r in ROLE_PERMS]):
        group.user_set.remove(*user_ids)


@dataclass(frozen=True)
class Access:
    member: bool = False
    manage_roles: bool = False
    view: bool = False
    change: bool = False
    export: bool = False


NO_ACCESS = Access()


def access_for(user, organization, book=None):
    """What ``user`` may do in ``organization``'s CRM (two queries at most)."""
    if not user.is_authenticated:
        return NO_ACCESS
    role = (
        Membership.objects.filter(user=user, organization=organization)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        return NO_ACCESS
    perms = set()
    book = book or ContactBook.objects.filter(organization=organization).first()
    if book is not None:
        perms = set(ObjectPermissionChecker(user).get_group_perms(book))
    return Access(
        member=True,
        manage_roles=role == Membership.Role.ADMIN,
        view="view_contacts" in perms,
        change="change_contacts" in perms,
        export="export_contacts" in perms,
    )
