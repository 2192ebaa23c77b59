"""Websocket routes of every app, gathered in one list for cluster.asgi."""

from chat.routing import websocket_urlpatterns as chat_patterns
from notifications.routing import websocket_urlpatterns as notification_patterns

websocket_urlpatterns = [*chat_patterns, *notification_patterns]
