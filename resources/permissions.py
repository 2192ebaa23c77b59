"""Who may do what with shared resources: the one place the rules live.

Nothing is granted here: every right follows from the person's memberships (``partners``), their
organizations' active participations (``projects``) and the editors' group, read once per request
into a ``Viewer``. The matrix (each cell is a test in ``tests/resources/test_permissions.py``):

| action                         | anon | no org | member  | admin | other org | editor |
|--------------------------------|------|--------|---------|-------|-----------|--------|
| see a public listing, calendar | yes  | yes    | yes     | yes   | yes       | yes    |
| see a cluster listing, address | no   | no     | yes     | yes   | yes       | yes    |
| see a project listing          | no   | no     | yes     | yes   | partners  | yes    |
| publish a listing              | no   | no     | no      | yes   | own org   | no     |
| edit, close, availability      | no   | no     | no      | yes   | no        | yes    |
| book an offer                  | no   | no     | yes     | yes   | yes       | no*    |
| see the listing's bookings     | no   | no     | yes     | yes   | own only  | no     |
| approve, decline               | no   | no     | no      | yes   | no        | no     |
| check out, return, no-show     | no   | no     | yes     | yes   | no        | no     |
| cancel a booking               | no   | no     | own org | yes   | own org   | no     |
| answer a request               | no   | no     | no      | no    | admins    | no     |
| accept an answer               | no   | no     | no      | yes   | no        | no     |

Member and admin: of the owning organization. (*) An editor who is also in an organization
books for it like anyone in it. Superusers may do
everything. Closed or expired listings are seen only by their organization and editors.
"""

from dataclasses import dataclass

from django.utils import timezone

from core.roles import is_editor

from .models import Booking, Listing


@dataclass(frozen=True)
class Viewer:
    """One person's standing, read in a fixed number of queries and kept on ``request.user``."""

    authenticated: bool = False
    superuser: bool = False
    editor: bool = False
    org_ids: frozenset = frozenset()
    admin_ids: frozenset = frozenset()
    project_ids: frozenset = frozenset()

    @property
    def in_cluster(self):
        return bool(self.org_ids) or self.editor


ANONYMOUS = Viewer()


def viewer_for(user):
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_resources_viewer", None)
    if cached is not None:
        return cached
    from partners.models import Membership
    from projects.models import Participation

    roles = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
    project_ids = (
        frozenset(
            Participation.objects.filter(
                organization_id__in=roles, status=Participation.Status.ACTIVE
            ).values_list("project_id", flat=True)
        )
        if roles
        else frozenset()
    )
    viewer = Viewer(
        authenticated=True,
        superuser=user.is_superuser,
        editor=is_editor(user),
        org_ids=frozenset(roles),
        admin_ids=frozenset(pk for pk, role in roles.items() if role == Membership.Role.ADMIN),
        project_ids=project_ids,
    )
    user._resources_viewer = viewer
    return viewer


def forget_viewer(user):
    """After a change of memberships in the same request (tests, services)."""
    if hasattr(user, "_resources_viewer"):
        del user._resources_viewer


def is_owner(viewer, listing):
    return listing.organization_id in viewer.org_ids


def is_owner_admin(viewer, listing):
    return viewer.superuser or listing.organization_id in viewer.admin_ids


def audience_allows(viewer, listing):
    if listing.audience == Listing.Audience.PUBLIC:
        return True
    if listing.audience == Listing.Audience.CLUSTER:
        return viewer.in_cluster
    return viewer.editor or listing.project_id in viewer.project_ids


def can_view(viewer, listing):
    """The listing's page. ``listing.organization`` must be loaded (its ``live``)."""
    if viewer.superuser or viewer.editor or is_owner(viewer, listing):
        return True
    if listing.status != Listing.Status.OPEN or listing.expires_on < timezone.localdate():
        return False
    return listing.organization.live and audience_allows(viewer, listing)


def can_see_address(viewer, listing):
    return viewer.in_cluster or viewer.superuser


def can_create(viewer):
    return viewer.superuser or bool(viewer.admin_ids)


def can_manage(viewer, listing):
    """Edit, close, renew, availability and blocked dates."""
    return viewer.editor or is_owner_admin(viewer, listing)


def can_see_bookings(viewer, listing):
    return viewer.superuser or is_owner(viewer, listing)


def can_decide(viewer, listing):
    return is_owner_admin(viewer, listing)


def can_handle(viewer, listing):
    """Hand over and take back: anyone of the owner organization at the desk."""
    return viewer.superuser or is_owner(viewer, listing)


def booking_organizations(viewer):
    """The organizations this person may book for (their own)."""
    return viewer.org_ids


def can_book(viewer, listing):
    return (
        listing.is_offer
        and listing.is_active
        and bool(viewer.org_ids)
        and can_view(viewer, listing)
    )


def can_cancel(viewer, booking):
    return (
        booking.organization_id in viewer.org_ids or is_owner_admin(viewer, booking.listing)
    ) and booking.status in (Booking.Status.PENDING, Booking.Status.APPROVED)


def answering_organizations(viewer, listing):
    """The organizations this person may answer a request for: ones they administer, not the
    requester."""
    return viewer.admin_ids - {listing.organization_id}


def can_answer(viewer, listing):
    return (
        listing.type == Listing.Type.REQUEST
        and listing.is_active
        and bool(answering_organizations(viewer, listing))
        and can_view(viewer, listing)
    )


def can_accept_answer(viewer, listing):
    return is_owner_admin(viewer, listing)
