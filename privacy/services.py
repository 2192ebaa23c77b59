"""Writes about one person's privacy: consent, and deleting their account.

Deleting an account asks every app to forget what it holds about the person (each app's
``register_personal_data`` registration, see ``core.personal_data``), in their order, inside
one transaction, then deletes the user row. What the apps do: the person's chat messages stay
(their author becomes "former member"), who they were goes: profile, addresses, memberships,
teams, notifications, consents, the messages of their join requests, and their name and
e-mail where others' records carry them (mentions, notifications about them, invitations to
their address, the audit trail).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.personal_data import ForgetContext, person_emails, registrations

from .models import Consent
from .selectors import account_deletion_refusals


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
    refusals = account_deletion_refusals(user)
    return " ".join(refusals) if refusals else None


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
    return tuple(sorted((n for n in names if n), key=len, reverse=True))


def forget_context(user):
    emails = person_emails(user, verified=False)
    return ForgetContext(
        user=user,
        emails=emails,
        former=_("former member"),
        identifiers=_identifiers(user, emails),
    )


@transaction.atomic
def account_delete(*, user):
    """Delete ``user`` and their personal data; refuse (ValidationError) if that would orphan
    an organization. Their chat messages stay, without an author."""
    refusal = account_deletion_refusal(user)
    if refusal:
        raise ValidationError(refusal, code="refused")
    context = forget_context(user)
    for registration in registrations():
        if registration.forget:
            registration.forget(user, context)
    user.delete()
