"""Public impact pages at /impact/ (included in cluster/urls.py before Wagtail's catch-all)."""

from django.urls import path, re_path

from . import public_views

app_name = "impact"

urlpatterns = [
    path("", public_views.cluster, name="cluster"),
    path("projects/<id:project_id>/", public_views.report, name="report"),
    re_path(
        r"^projects/(?P<project_id>[0-9]+)/(?P<kind>forecast|evaluative)\.(?P<fmt>csv|json)$",
        public_views.report_download,
        name="report_download",
    ),
]
