"""Reads about one person's data: the export, and what stands in the way of deleting it.

Each app registers what it holds (``core.personal_data``); this module only asks them all.
"""

from django.utils import timezone

from core.personal_data import registrations, when

from .models import Consent


def personal_data(user):
    """Everything the portal keeps about ``user``, as a JSON-ready dict: one section per
    registration. Nothing of others'."""
    data = {"exported_at": when(timezone.now())}
    for registration in registrations():
        data[registration.section] = registration.export(user)
    return data


def account_deletion_refusals(user):
    """The registrations' reasons (translated) why ``user`` may not delete their account now."""
    return [
        reason
        for registration in registrations()
        if registration.refuse and (reason := registration.refuse(user))
    ]


def latest_consent(user):
    return Consent.objects.filter(user=user).first()
