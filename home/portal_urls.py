"""The partner portal at /portal/: the dashboard, then each app's own pages."""

from django.urls import include, path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organizations/", include("partners.urls")),
    path("organizations/<id:page_id>/contacts/", include("crm.urls")),
    path("projects/", include("projects.urls")),
    path("projects/<id:project_id>/impact/", include("impact.urls")),
    path("projects/", include("chat.urls")),
    path("projects/", include("workspace.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("training.urls")),
    path("", include("people.urls")),
]
