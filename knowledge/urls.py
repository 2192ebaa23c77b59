"""Community pages at /communities/ (and /es/…, /ca/…), in the ``knowledge`` namespace."""

from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.community_index, name="community_index"),
    path("items/<int:item_id>/useful/", views.item_vote, name="item_vote"),
    path("<slug:slug>/", views.community, name="community"),
    path("<slug:slug>/edit/", views.community_edit, name="community_edit"),
    path("<slug:slug>/join/", views.community_join, name="community_join"),
    path("<slug:slug>/leave/", views.community_leave, name="community_leave"),
    path("<slug:slug>/follow/", views.community_follow, name="community_follow"),
    path(
        "<slug:slug>/members/<int:member_id>/answer/",
        views.membership_answer,
        name="membership_answer",
    ),
    path(
        "<slug:slug>/members/<int:member_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path("<slug:slug>/questions/", views.question_list, name="question_list"),
    path("<slug:slug>/questions/new/", views.question_new, name="question_new"),
    path("<slug:slug>/questions/<int:question_id>/", views.question, name="question"),
    path("<slug:slug>/questions/<int:question_id>/answer/", views.answer_new, name="answer_new"),
    path("<slug:slug>/answers/<int:answer_id>/accept/", views.answer_accept, name="answer_accept"),
    path(
        "<slug:slug>/answers/<int:answer_id>/comment/",
        views.answer_comment,
        name="answer_comment",
    ),
    path(
        "<slug:slug>/answers/<int:answer_id>/promote/",
        views.answer_promote,
        name="answer_promote",
    ),
    path("<slug:slug>/propose/", views.item_propose, name="item_propose"),
    path(
        "<slug:slug>/items/<int:item_id>/translate/",
        views.item_translate,
        name="item_translate",
    ),
    path(
        "<slug:slug>/items/<int:item_id>/reviewed/",
        views.item_reviewed,
        name="item_reviewed",
    ),
    path("<slug:slug>/review/", views.review_list, name="review_list"),
    path("<slug:slug>/review/<int:item_id>/", views.review, name="review"),
    path("<slug:slug>/sessions/new/", views.session_new, name="session_new"),
    path(
        "<slug:slug>/sessions/<int:session_id>/recording/",
        views.session_recording,
        name="session_recording",
    ),
    path("<slug:slug>/sessions.ics", views.sessions_ics, name="sessions_ics"),
]
