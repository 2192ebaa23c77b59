"""Events with one-to-one meetings at /events/ (and /es/…, /ca/…)."""

from django.urls import path, re_path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<int:event_id>/", views.event_detail, name="event_detail"),
    path("<int:event_id>/register/", views.event_register, name="event_register"),
    path(
        "<int:event_id>/registrations/<int:registration_id>/cancel/",
        views.event_registration_cancel,
        name="registration_cancel",
    ),
    path("<int:event_id>/participants/", views.event_participants, name="participants"),
    path("<int:event_id>/meet/", views.meeting_request, name="meeting_request"),
    path("<int:event_id>/agenda/", views.agenda, name="agenda"),
    re_path(
        r"^meetings/(?P<meeting_id>[0-9]+)/(?P<action>accept|decline|cancel)/$",
        views.meeting_action,
        name="meeting_action",
    ),
    path("agenda/<str:agenda_key>.ics", views.agenda_ics, name="agenda_ics"),
]
