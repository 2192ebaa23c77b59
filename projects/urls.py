"""Project pages of the portal, included at /portal/projects/ in the ``portal`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.project_new, name="project_new"),
    path("<id:page_id>/", views.project_workspace, name="project_workspace"),
    path("<id:page_id>/invite/", views.project_invite, name="project_invite"),
    path("<id:page_id>/texts/", views.project_texts, name="project_texts"),
    path("<id:page_id>/edit/", views.project_edit, name="project_edit"),
    path("<id:page_id>/request/", views.project_request, name="project_request"),
    path("<id:page_id>/team/add/", views.team_add, name="project_team_add"),
    path(
        "<id:page_id>/team/<id:user_id>/remove/",
        views.team_remove,
        name="project_team_remove",
    ),
    path(
        "<id:page_id>/team/<id:user_id>/coordinator/",
        views.team_coordinator,
        name="project_team_coordinator",
    ),
    path(
        "participations/<id:pk>/accept/",
        views.participation_accept,
        name="project_participation_accept",
    ),
    path(
        "participations/<id:pk>/decline/",
        views.participation_decline,
        name="project_participation_decline",
    ),
    path(
        "participations/<id:pk>/leave/",
        views.participation_leave,
        name="project_participation_leave",
    ),
    path(
        "participations/<id:pk>/remove/",
        views.participation_remove,
        name="project_participation_remove",
    ),
]
