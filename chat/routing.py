"""Websocket routes of the chat (gathered by cluster.routing)."""

from django.urls import re_path

from .consumers import ChatConsumer

# Any run of digits reaches the consumer, which answers a number no project can have with
# 4404 (a route that did not match would end the handshake without the protocol's close code).
websocket_urlpatterns = [
    re_path(r"^ws/projects/(?P<project_id>[0-9]{1,40})/chat/$", ChatConsumer.as_asgi()),
]
