"""Websocket routes of the chat (gathered by cluster.routing)."""

from django.urls import path

from .consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/projects/<id:project_id>/chat/", ChatConsumer.as_asgi()),
]
