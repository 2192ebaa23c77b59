"""The accepted ventures' pages, under /calls/ in the ``calls`` namespace (``call_urls``
appends them)."""

from django.urls import path

from . import venture_views as views

urlpatterns = [
    path("ventures/", views.ventures_mine, name="ventures_mine"),
    path("ventures/<id:application_id>/", views.venture_detail, name="venture_detail"),
    path(
        "ventures/<id:application_id>/mentors/",
        views.mentor_assign,
        name="venture_mentor_assign",
    ),
    path(
        "ventures/<id:application_id>/mentors/remove/",
        views.mentor_remove,
        name="venture_mentor_remove",
    ),
    path(
        "ventures/<id:application_id>/milestones/",
        views.milestone_add,
        name="venture_milestone_add",
    ),
    path(
        "ventures/<id:application_id>/check-ins/",
        views.checkin_add,
        name="venture_checkin_add",
    ),
    path(
        "milestones/<id:milestone_id>/mark/", views.milestone_mark, name="venture_milestone_mark"
    ),
    path("check-ins/<id:checkin_id>/delete/", views.checkin_delete, name="venture_checkin_delete"),
    path("<id:call_id>/ventures/", views.call_ventures, name="call_ventures"),
]
