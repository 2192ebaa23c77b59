"""Workspace pages, included at /portal/projects/ in the ``portal`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("<id:page_id>/documents/", views.documents, name="project_documents"),
    path("<id:page_id>/documents/upload/", views.document_upload, name="project_document_upload"),
    path("<id:page_id>/documents/folders/", views.folder_create, name="project_folder_create"),
    path("<id:page_id>/documents/<id:document_id>/", views.document, name="project_document"),
    path(
        "<id:page_id>/documents/<id:document_id>/versions/",
        views.document_version,
        name="project_document_version",
    ),
    path(
        "<id:page_id>/documents/<id:document_id>/delete/",
        views.document_delete,
        name="project_document_delete",
    ),
    path(
        "<id:page_id>/documents/<id:document_id>/files/<id:version_id>/",
        views.document_file,
        name="project_document_file",
    ),
    path("<id:page_id>/tasks/", views.tasks, name="project_tasks"),
    path("<id:page_id>/tasks/board/", views.task_board, name="project_task_board"),
    path("<id:page_id>/tasks/new/", views.task_create, name="project_task_create"),
    path("<id:page_id>/tasks/<id:task_id>/", views.task, name="project_task"),
    path("<id:page_id>/tasks/<id:task_id>/status/", views.task_status, name="project_task_status"),
    path(
        "<id:page_id>/tasks/milestones/", views.milestone_create, name="project_milestone_create"
    ),
    path("<id:page_id>/meetings/", views.meetings, name="project_meetings"),
    path("<id:page_id>/meetings/new/", views.meeting_create, name="project_meeting_create"),
    path("<id:page_id>/meetings/<id:meeting_id>/", views.meeting, name="project_meeting"),
    path(
        "<id:page_id>/meetings/<id:meeting_id>/attendance/",
        views.meeting_attendance,
        name="project_meeting_attendance",
    ),
    path(
        "<id:page_id>/meetings/<id:meeting_id>/minutes/",
        views.meeting_minutes,
        name="project_meeting_minutes",
    ),
    path(
        "<id:page_id>/meetings/<str:feed>.ics",
        views.meetings_ics,
        name="project_meetings_ics",
    ),
    path(
        "meetings/<str:feed>.ics",
        views.meetings_personal_ics,
        name="project_meetings_personal_ics",
    ),
    path("<id:page_id>/updates/", views.updates, name="project_updates"),
    path("<id:page_id>/updates/new/", views.update_create, name="project_update_create"),
    path(
        "<id:page_id>/updates/<id:update_id>/delete/",
        views.update_delete,
        name="project_update_delete",
    ),
]
