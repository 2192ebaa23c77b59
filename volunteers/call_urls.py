"""Calls for social entrepreneurship at /calls/ (and /es/calls/, /ca/calls/): included in
cluster/urls.py inside ``i18n_patterns``, before Wagtail's catch-all."""

from django.urls import path, re_path

from . import call_views as views
from .venture_urls import urlpatterns as venture_urlpatterns

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("new/", views.call_create, name="call_create"),
    path("reviews/", views.reviews_mine, name="reviews_mine"),
    path("reviews/<id:review_id>/", views.review_submit, name="review_submit"),
    path("<id:call_id>/", views.call_detail, name="call_detail"),
    path("<id:call_id>/form/", views.call_form_setup, name="call_form_setup"),
    path("<id:call_id>/apply/", views.call_apply, name="call_apply"),
    path("<id:call_id>/applications/", views.call_applications, name="call_applications"),
    path(
        "attachments/<id:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("applications/<id:application_id>/assign/", views.review_assign, name="review_assign"),
    path(
        "applications/<id:application_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    re_path(
        r"^applications/(?P<application_id>[0-9]{1,18})/(?P<action>accept|decline)/$",
        views.application_decide,
        name="application_decide",
    ),
]

urlpatterns += venture_urlpatterns
