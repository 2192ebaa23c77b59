"""The organizations part of the portal, included at /portal/organizations/ (namespace portal)."""

from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.organization_apply, name="organization_apply"),
    path(
        "invitations/<str:token>/",
        views.organization_invitation_accept,
        name="organization_invitation_accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        views.organization_invitation_decline,
        name="organization_invitation_decline",
    ),
    path("<id:page_id>/", views.organization_manage, name="organization_manage"),
    path("<id:page_id>/activity/", views.organization_activity, name="organization_activity"),
    path("<id:page_id>/preview/", views.organization_preview, name="organization_preview"),
    path("<id:page_id>/invitations/", views.organization_invite, name="organization_invite"),
    path(
        "<id:page_id>/invitations/<id:invitation_id>/revoke/",
        views.organization_invitation_revoke,
        name="organization_invitation_revoke",
    ),
    path(
        "<id:page_id>/members/<id:membership_id>/role/",
        views.organization_member_role,
        name="organization_member_role",
    ),
    path(
        "<id:page_id>/members/<id:membership_id>/remove/",
        views.organization_member_remove,
        name="organization_member_remove",
    ),
    path("<id:page_id>/leave/", views.organization_leave, name="organization_leave"),
]
