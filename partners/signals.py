"""Signals other apps may listen to, so this app never imports them.

``membership_ended(organization_id, user_id, by_id)`` is sent after the transaction that removed
a person from an organization commits (removed by an admin, or left; ``by_id`` is who did it,
None for the portal itself): projects take them off the teams they were on for that
organization (``projects.receivers``).
"""

from django.dispatch import Signal

membership_ended = Signal()
