"""Funding calls and partner-search posts at /opportunities/ (and /es/…, /ca/…): included in
cluster/urls.py inside ``i18n_patterns``, before Wagtail's catch-all."""

from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("calls/", views.call_board, name="call_board"),
    path("calls/deadlines.ics", views.calls_ics, name="calls_ics"),
    path("calls/propose/", views.call_propose, name="call_propose"),
    path("calls/<int:call_id>/", views.call_detail, name="call_detail"),
    path("calls/<int:call_id>/interest/", views.call_interest, name="call_interest"),
    path("partner-search/", views.post_board, name="post_board"),
    path("partner-search/new/", views.post_create, name="post_create"),
    path("partner-search/mine/", views.posts_mine, name="posts_mine"),
    path("partner-search/<int:post_id>/", views.post_detail, name="post_detail"),
    path("partner-search/<int:post_id>/close/", views.post_close, name="post_close"),
    path("partner-search/<int:post_id>/renew/", views.post_renew, name="post_renew"),
    path("partner-search/<int:post_id>/interest/", views.post_interest, name="post_interest"),
    path(
        "partner-search/<int:post_id>/conversations/<int:interest_id>/",
        views.conversation,
        name="conversation",
    ),
]
