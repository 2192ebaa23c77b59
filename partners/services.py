"""Every write that matters for organizations: apply, approve, memberships.

Views and the admin call these; they validate, write in one transaction and grant
permissions through ``partners.permissions``.
"""

from django.db import transaction
from django.utils.text import slugify

from . import permissions
from .models import Membership, PartnerIndexPage, PartnerPage


def _unique_slug(parent, title):
    base = slugify(title)[:70] or "organization"
    slug, n = base, 2
    siblings = set(parent.get_children().values_list("slug", flat=True))
    while slug in siblings:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organization_apply(*, user, title, submit=True, **fields):
    """Create a draft PartnerPage for ``user``'s organization and submit it for review.

    The applicant becomes the organization's admin at once, so they can keep editing the
    draft; the organization is public only once an editor approves it.
    """
    index = PartnerIndexPage.objects.get()
    m2m = {key: fields.pop(key) for key in ("sectors", "sdgs", "offers", "seeks") if key in fields}
    organization = PartnerPage(
        title=title, slug=_unique_slug(index, title), live=False, applicant=user, **fields
    )
    for key in ("sectors", "sdgs"):
        if key in m2m:
            getattr(organization, key).set(m2m[key])
    for key in ("offers", "seeks"):
        if key in m2m:
            getattr(organization, key).set(m2m[key])
    index.add_child(instance=organization)
    organization.save_revision(user=user, log_action=True)
    membership_add(organization=organization, user=user, role=Membership.Role.ADMIN)
    if submit:
        workflow = organization.get_workflow()
        if workflow:
            workflow.start(organization, user)
    return organization


@transaction.atomic
def organization_approve(*, organization, user, comment=""):
    """Approve the organization's pending review (or publish it directly if none is pending)."""
    state = organization.current_workflow_state
    if state and state.current_task_state:
        state.current_task_state.approve(user=user, comment=comment)
    else:
        organization.get_latest_revision().publish(user=user)
    organization.refresh_from_db()
    return organization


@transaction.atomic
def membership_add(*, organization, user, role=Membership.Role.MEMBER):
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    permissions.membership_grant(membership)
    return membership
