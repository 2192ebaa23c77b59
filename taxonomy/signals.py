"""Signals this app sends for the apps above it (it imports none of them).

``tag_proposed`` is sent once per new tag a member proposed (``taxonomy.services``), with
``tag`` and ``proposed_by``: the app that tells the cluster's editors receives it (this app may
not reach the notification centre, a sibling of its layer).
"""

from django.dispatch import Signal

tag_proposed = Signal()
