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
]
