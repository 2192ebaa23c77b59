"""What partners keeps about a person, for the privacy export and account deletion.

Registered in ``wagtail_hooks.py`` (``register_personal_data``): memberships (and the
permission rows they grant), invitations (to the person's addresses, and those they sent), and
the organizations they applied to register.
"""

from django.db.models import Q
from django.utils.translation import ngettext

from core.personal_data import person_emails, when

from . import services
from .models import Invitation, Membership, PartnerPage


def _organization(page):
    return {"id": page.pk, "title": page.title}


# --- Memberships ---------------------------------------------------------------------------


def memberships_export(user):
    return [
        {
            "organization": _organization(row.organization),
            "role": row.role,
            "joined_at": when(row.created_at),
        }
        for row in Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization_id")
    ]


def organizations_only_administered_by(user):
    """Organizations whose only admin is ``user``: they must be handed over first."""
    administered = Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
    other_admins = (
        Membership.objects.filter(
            organization_id__in=administered.values("organization_id"),
            role=Membership.Role.ADMIN,
        )
        .exclude(user=user)
        .values("organization_id")
    )
    return [
        row.organization
        for row in administered.exclude(organization_id__in=other_admins)
        .select_related("organization")
        .order_by("organization__title")
    ]


def memberships_refusal(user):
    blocking = organizations_only_administered_by(user)
    if not blocking:
        return None
    names = ", ".join(organization.title for organization in blocking)
    return ngettext(
        "You are the only administrator of %(names)s. Make another member an "
        "administrator (or ask the cluster's editors to close the organization) before "
        "deleting your account.",
        "You are the only administrator of %(names)s. Make another member an "
        "administrator of each (or ask the cluster's editors to close them) before "
        "deleting your account.",
        len(blocking),
    ) % {"names": names}


def memberships_forget(user, context):
    """Leave every organization through the service: grants revoked, departures audited."""
    services.membership_leave_all(user=user)


# --- Invitations ---------------------------------------------------------------------------


def invitations_export(user):
    """Invitations to the addresses they proved they own; those they sent, without the
    invitee's address (someone else's)."""
    emails = person_emails(user)
    rows = (
        Invitation.objects.filter(Q(email__in=emails) | Q(accepted_by=user) | Q(invited_by=user))
        .select_related("organization")
        .order_by("created_at", "pk")
    )
    received, sent = [], []
    for row in rows:
        entry = {
            "organization": _organization(row.organization),
            "role": row.role,
            "sent_at": when(row.created_at),
            "accepted_at": when(row.accepted_at),
            "revoked_at": when(row.revoked_at),
            "declined_at": when(row.declined_at),
        }
        if row.email.lower() in emails or row.accepted_by_id == user.pk:
            received.append({"email": row.email, **entry})
        if row.invited_by_id == user.pk:
            sent.append(entry)
    return {"received": received, "sent": sent}


def invitations_forget(user, context):
    """Invitations addressed to the person carry their e-mail: they go. Those they sent stay
    for the organization (``invited_by`` becomes empty with the account)."""
    query = Q(accepted_by=user)
    for email in context.emails:
        query |= Q(email__iexact=email)
    Invitation.objects.filter(query).delete()


# --- Applications --------------------------------------------------------------------------


def applications_export(user):
    """Organizations they applied to register (the organization's data is its own)."""
    return [
        {
            "organization": _organization(page),
            "approved": page.first_published_at is not None,
            "live": page.live,
        }
        for page in PartnerPage.objects.filter(applicant=user).order_by("pk")
    ]
