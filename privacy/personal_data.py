"""What the account itself holds: the profile, e-mail addresses, consents.

Registered in ``wagtail_hooks.py`` like every other app's part (``register_personal_data``);
the user row, its addresses, consents, groups and Wagtail admin preferences go last, with the
account (their foreign keys cascade).
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from wagtail.users.models import UserProfile

from core.personal_data import when

from .models import Consent


def profile_export(user):
    admin_profile = UserProfile.objects.filter(user=user).first()
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": when(user.date_joined),
        "last_login": when(user.last_login),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "admin_preferences": admin_profile
        and {
            "preferred_language": admin_profile.preferred_language,
            "current_time_zone": admin_profile.current_time_zone,
            "avatar": bool(admin_profile.avatar),
        },
    }


def profile_forget(user, context):
    """The admin avatar's file is not deleted with its row: remove it once the deletion
    commits (a rolled-back deletion keeps it)."""
    admin_profile = UserProfile.objects.filter(user=user).first()
    if admin_profile and admin_profile.avatar:
        storage, name = admin_profile.avatar.storage, admin_profile.avatar.name
        transaction.on_commit(lambda: storage.delete(name))


def email_addresses_export(user):
    return [
        {"email": row.email, "verified": row.verified, "primary": row.primary}
        for row in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def consents_export(user):
    return [
        {"notice_version": row.notice_version, "given_at": when(row.given_at)}
        for row in Consent.objects.filter(user=user)
    ]
