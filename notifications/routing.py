"""Websocket route of the bell (gathered by cluster.routing)."""

from django.urls import re_path

from .consumers import BellConsumer

websocket_urlpatterns = [
    re_path(r"^ws/notifications/$", BellConsumer.as_asgi()),
]
