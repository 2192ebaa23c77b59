from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("account/privacy/", views.privacy_page, name="privacy"),
    path("account/privacy/export/", views.export, name="export"),
    path("account/privacy/delete/", views.delete, name="delete"),
]
