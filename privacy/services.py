"""Writes about one person's privacy: consent, and deleting their account.

Deleting an account keeps what the person wrote in project chats (the messages stay, their
author becomes "former member": ``Message.author`` is SET_NULL) and removes who they were:
their profile, addresses, memberships, teams, notifications and consents, and their name and
e-mail where others' records carry them (mentions of them in chat, notifications about
them, invitations sent to their address, admin log labels).
"""

import re

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import ModelLogEntry

from chat.models import Mention, Message
from core.audit import audit_forget, audit_record
from notifications.models import Notification
from partners import audit as partner_audit
from partners import permissions as partner_permissions
from partners.models import Invitation, Membership
from projects.models import TeamMembership
from projects.services import team_remove

from .models import Consent
from .selectors import organizations_blocking_deletion


@transaction.atomic
def consent_record(*, user, notice_version=None):
    consent = Consent(user=user, notice_version=notice_version or settings.PRIVACY_NOTICE_VERSION)
    consent.full_clean()
    consent.save()
    return consent


def account_deletion_refusal(user):
    """Why ``user`` may not delete their account now (a translated message), or None."""
    if user.is_superuser:
        return _(
            "A superuser account cannot be deleted from here: ask another superuser to remove "
            "it in the admin, so the portal always keeps one."
        )
    blocking = organizations_blocking_deletion(user)
    if blocking:
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
    return None


@transaction.atomic
def account_delete(*, user):
    """Delete ``user`` and their personal data; refuse (ValidationError) if that would orphan
    an organization. Their chat messages stay, without an author."""
    refusal = account_deletion_refusal(user)
    if refusal:
        raise ValidationError(refusal, code="refused")
    former = _("former member")
    emails = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    emails.discard("")

    # Teams through projects' own service: it revokes the grants and closes open chat sockets.
    for row in TeamMembership.objects.filter(user=user).select_related("project"):
        team_remove(project=row.project, user=user, by=user)
    _memberships_remove(user)
    _invitations_forget(emails)
    _mentions_forget(user, former)
    _notifications_forget(user, emails, former)
    _log_labels_forget(user, former)
    audit_forget(user=user, emails=emails, former=former)
    user.delete()


def _memberships_remove(user):
    """Leave every organization (partners.services has no removal service yet)."""
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        partner_permissions.membership_revoke(user=user, organization=membership.organization)
        audit_record(
            membership.organization,
            partner_audit.MEMBERSHIP_LEAVE,
            user=user,
            organization=membership.organization,
            person=user,
            role=membership.role,
        )
        membership.delete()


def _invitations_forget(emails):
    """Invitations addressed to the person carry their e-mail: they go."""
    if emails:
        query = Q()
        for email in emails:
            query |= Q(email__iexact=email)
        Invitation.objects.filter(query).delete()


def _mentions_forget(user, former):
    """Others' messages keep their text; "@username" in them becomes "@former member"."""
    # Usernames may contain . + - @, but "@name." ends a sentence rather than the name.
    pattern = re.compile(rf"@{re.escape(user.username)}(?!\w|[.+@-]\w)", re.IGNORECASE)
    mentioned = Message.objects.filter(
        Q(pk__in=Mention.objects.filter(user=user).values("message_id"))
        | Q(body__icontains=f"@{user.username}")
    )
    changed = []
    for message in mentioned:
        message.body = pattern.sub(f"@{former}", message.body)
        if isinstance(message.mentions, list):
            message.mentions = [m for m in message.mentions if m != user.pk]
        changed.append(message)
    Message.objects.bulk_update(changed, ["body", "mentions"], batch_size=500)


def _identifiers(user, emails):
    """The strings that name the person in others' records, longest first."""
    names = set(emails)
    full_name = user.get_full_name().strip()
    if full_name:
        names.add(full_name)
    names.add(f"@{user.username}")
    if not full_name:
        # Without a full name the portal shows the username: it is how others saw them.
        names.add(user.username)
    return sorted((n for n in names if n), key=len, reverse=True)


def _notifications_forget(user, emails, former):
    """Others' notifications about the person ("Marta Puig asked to join…") lose the name."""
    identifiers = _identifiers(user, emails)
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in identifiers), re.IGNORECASE
    )
    query = Q()
    for name in identifiers:
        query |= Q(title__icontains=name) | Q(body__icontains=name) | Q(url__icontains=name)
    changed = []
    for notification in Notification.objects.filter(query).exclude(user=user):
        notification.title = pattern.sub(former, notification.title)[:200]
        notification.body = pattern.sub(former, notification.body)
        notification.url = pattern.sub("", notification.url)
        changed.append(notification)
    Notification.objects.bulk_update(changed, ["title", "body", "url"], batch_size=500)


def _log_labels_forget(user, former):
    """Admin log entries about the user object are labelled with the username."""
    user_type = ContentType.objects.get_for_model(user)
    ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        label=former
    )
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr=former
    )
