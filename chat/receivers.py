"""Turns project events into chat events (imported by ``ChatConfig.ready``)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import receiver

from projects.signals import team_access_revoked

from . import events, redis_clients

logger = logging.getLogger(__name__)


@receiver(team_access_revoked, dispatch_uid="chat.close_revoked")
def close_revoked_sockets(sender, project_id, user_ids, **kwargs):
    """People lost access to a project: every process closes their chat sockets (4403)."""
    layer = get_channel_layer()
    if layer is None or not user_ids:
        return
    try:
        async_to_sync(layer.group_send)(
            events.group_name(project_id), events.layer_revoke(user_ids)
        )
    except redis_clients.ERRORS as exc:
        # Each socket also re-checks its access periodically (chat.consumers).
        logger.warning("chat: could not announce revoked access (%s)", exc)
