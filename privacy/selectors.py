"""Reads about one person's data: the export and what stands in the way of deleting it.

The export reads other apps' models directly: none of them has a selector for "everything
of one person" yet (chat, notifications), and this app is the only one allowed to look at
all of them. Each section is one query, whatever the number of rows.
"""

from allauth.account.models import EmailAddress
from django.utils import timezone

from chat.models import Message
from notifications.models import LanguagePreference, Notification
from partners.models import Membership
from projects.models import TeamMembership

from .models import Consent


def _when(value):
    return value.isoformat() if value else None


def personal_data(user):
    """Everything the portal keeps about ``user``, as a JSON-ready dict. Nothing of others'."""
    return {
        "exported_at": _when(timezone.now()),
        "profile": {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            # The language their notifications are written in, once the portal knows it.
            "language": LanguagePreference.objects.filter(user=user)
            .values_list("language", flat=True)
            .first(),
        },
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "memberships": [
            {
                "organization": {"id": row.organization_id, "title": row.organization.title},
                "role": row.role,
                "joined_at": _when(row.created_at),
            }
            for row in Membership.objects.filter(user=user).select_related("organization")
        ],
        "team_memberships": [
            {
                "project": {"id": row.project_id, "title": row.project.title},
                "organization": {"id": row.organization_id, "title": row.organization.title},
                "coordinator": row.is_coordinator,
                "added_at": _when(row.created_at),
            }
            for row in TeamMembership.objects.filter(user=user).select_related(
                "project", "organization"
            )
        ],
        "notifications": [
            {
                "kind": row.kind,
                "title": row.title,
                "body": row.body,
                "url": row.url,
                "created_at": _when(row.created_at),
                "read_at": _when(row.read_at),
            }
            for row in Notification.objects.filter(user=user).order_by("created_at", "id")
        ],
        "chat_messages": [
            {
                "project": {"id": row.project_id, "title": row.project.title},
                "seq": row.seq,
                "body": row.body,
                "created_at": _when(row.created_at),
                "edited_at": _when(row.edited_at),
                "deleted_at": _when(row.deleted_at),
            }
            for row in Message.objects.filter(author=user)
            .select_related("project")
            .order_by("project_id", "seq")
            .iterator(chunk_size=2000)
        ],
        "consents": [
            {"notice_version": row.notice_version, "given_at": _when(row.given_at)}
            for row in Consent.objects.filter(user=user)
        ],
    }


def organizations_blocking_deletion(user):
    """Organizations whose only admin is ``user``: they must be handed over first."""
    administered = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organization_id"
    )
    other_admins = (
        Membership.objects.filter(organization_id__in=administered, role=Membership.Role.ADMIN)
        .exclude(user=user)
        .values("organization_id")
    )
    return [
        row.organization
        for row in Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
        .exclude(organization_id__in=other_admins)
        .select_related("organization")
        .order_by("organization__title")
    ]


def latest_consent(user):
    return Consent.objects.filter(user=user).first()
