"""Signals other apps may listen to, so this app never imports them.

``membership_ended(organization_id, user_id)`` is sent after the transaction that removed a
person from an organization commits (removed by an admin, or left): projects take them off the
teams they were on for that organization.
"""

from django.dispatch import Signal

membership_ended = Signal()
