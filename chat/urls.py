"""Chat pages inside /portal/projects/ (namespace ``portal``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<id:project_id>/chat/", views.chat_page, name="project_chat"),
    path("<id:project_id>/chat/plain/", views.chat_plain, name="project_chat_plain"),
]
