"""Shared resources at /resources/ (and /es/resources/, /ca/resources/): included in
cluster/urls.py inside ``i18n_patterns``, before Wagtail's catch-all."""

from django.urls import path, re_path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_directory, name="resource_directory"),
    path("new/", views.listing_create, name="listing_create"),
    path("mine/", views.resources_mine, name="resources_mine"),
    path("hours/", views.hours_ledger, name="hours_ledger"),
    path("hours/new/", views.hours_entry_create, name="hours_entry_create"),
    path("<int:listing_id>/", views.resource_detail, name="resource_detail"),
    path("<int:listing_id>/edit/", views.listing_edit, name="listing_edit"),
    path("<int:listing_id>/close/", views.listing_close, name="listing_close"),
    path("<int:listing_id>/renew/", views.listing_renew, name="listing_renew"),
    path(
        "<int:listing_id>/availability/", views.listing_availability, name="listing_availability"
    ),
    path("<int:listing_id>/photos/", views.listing_photos, name="listing_photos"),
    path("<int:listing_id>/book/", views.listing_book, name="listing_book"),
    path("<int:listing_id>/bookings/", views.listing_bookings, name="listing_bookings"),
    path("<int:listing_id>/answer/", views.listing_answer, name="listing_answer"),
    path("<int:listing_id>/calendar.ics", views.listing_calendar, name="listing_calendar"),
    path(
        "organizations/<int:organization_id>/calendar.ics",
        views.organization_calendar,
        name="organization_calendar",
    ),
    path("feeds/<str:feed>/bookings.ics", views.personal_calendar, name="personal_calendar"),
    path(
        "feeds/<str:feed>/organizations/<int:organization_id>.ics",
        views.organization_private_calendar,
        name="organization_private_calendar",
    ),
    path("series/<int:series_id>/", views.series_detail, name="series_detail"),
    re_path(
        r"^bookings/(?P<booking_id>[0-9]+)/(?P<action>approve|decline|cancel|check-out|return|no-show)/$",
        views.booking_action,
        name="booking_action",
    ),
    path("answers/<int:answer_id>/accept/", views.answer_accept, name="answer_accept"),
]
