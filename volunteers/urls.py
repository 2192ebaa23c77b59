"""The volunteer network at /volunteer/ (and /es/volunteer/, /ca/volunteer/): included in
cluster/urls.py inside ``i18n_patterns``, before Wagtail's catch-all."""

from django.urls import path, re_path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("", views.role_list, name="role_list"),
    path("profile/", views.profile, name="profile"),
    path("profile/withdraw/", views.profile_withdraw, name="profile_withdraw"),
    path("hours/", views.hours_mine, name="hours_mine"),
    path("certificate/", views.certificate, name="certificate"),
    path("certificate/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificate/<str:token>/", views.certificate_verify, name="certificate_verify"),
    path("roles/<id:role_id>/", views.role_detail, name="role_detail"),
    path("roles/<id:role_id>/edit/", views.role_edit, name="role_edit"),
    path("roles/<id:role_id>/shifts/new/", views.shift_create, name="shift_create"),
    path("roles/<id:role_id>/apply/", views.role_apply, name="role_apply"),
    path("roles/<id:role_id>/applications/", views.role_applications, name="role_applications"),
    path(
        "applications/<id:application_id>/agreement/",
        views.agreement,
        name="application_agreement",
    ),
    path(
        "applications/<id:application_id>/requirements/",
        views.requirement_record,
        name="requirement_record",
    ),
    path(
        "applications/<id:application_id>/requirements/confirm/",
        views.requirement_confirm,
        name="requirement_confirm",
    ),
    path("roles/<id:role_id>/requirements/", views.requirement_claim, name="requirement_claim"),
    re_path(
        r"^applications/(?P<application_id>[0-9]{1,18})/"
        r"(?P<decision>screen|accept|waitlist|decline)/$",
        views.application_decide,
        name="application_decide",
    ),
    path("shifts/<id:shift_id>/sign-up/", views.shift_signup, name="shift_signup"),
    path("shifts/<id:shift_id>/cancel/", views.shift_cancel, name="shift_cancel"),
    path("projects/<id:project_id>/roles/new/", views.role_create, name="role_create"),
    path("projects/<id:project_id>/hours/", views.hours_review, name="hours_review"),
    path("projects/<id:project_id>/hours/export/", views.hours_export, name="hours_export"),
    path(
        "organizations/<id:organization_id>/roles/new/",
        views.organization_role_create,
        name="organization_role_create",
    ),
    path(
        "organizations/<id:organization_id>/hours/",
        views.organization_hours_review,
        name="organization_hours_review",
    ),
    path(
        "organizations/<id:organization_id>/hours/export/",
        views.organization_hours_export,
        name="organization_hours_export",
    ),
    path("hours/projects/", views.hours_totals, name="hours_totals"),
    re_path(
        r"^hours/(?P<entry_id>[0-9]{1,18})/(?P<action>verify|reject)/$",
        views.hours_decide,
        name="hours_decide",
    ),
]
