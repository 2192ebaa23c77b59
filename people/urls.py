"""Profiles, included at /portal/ (namespace portal)."""

from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("people/<id:user_id>/", views.person, name="person"),
]
