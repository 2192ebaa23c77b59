"""A person's notifications, included at /portal/notifications/ (namespace portal)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read/", views.notification_read_all, name="notification_read_all"),
    path("<int:notification_id>/", views.notification_open, name="notification_open"),
    path(
        "<int:notification_id>/read/",
        views.notification_read_one,
        name="notification_read_one",
    ),
    path("preferences/", views.notification_preferences, name="notification_preferences"),
    path(
        "unsubscribe/<str:token>/",
        views.notification_unsubscribe,
        name="notification_unsubscribe",
    ),
]
