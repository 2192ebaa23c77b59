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
    path("<int:page_id>/", views.organization_manage, name="organization_manage"),
    path("<int:page_id>/activity/", views.organization_activity, name="organization_activity"),
    path("<int:page_id>/preview/", views.organization_preview, name="organization_preview"),
    path("<int:page_id>/invitations/", views.organization_invite, name="organization_invite"),
    path(
        "<int:page_id>/invitations/<int:invitation_id>/revoke/",
        views.organization_invitation_revoke,
        name="organization_invitation_revoke",
    ),
    path(
        "<int:page_id>/members/<int:membership_id>/role/",
        views.organization_member_role,
        name="organization_member_role",
    ),
    path(
        "<int:page_id>/members/<int:membership_id>/remove/",
        views.organization_member_remove,
        name="organization_member_remove",
    ),
    path("<int:page_id>/leave/", views.organization_leave, name="organization_leave"),
]
