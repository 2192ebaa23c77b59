"""The organization's CRM, included at /portal/organizations/<id>/contacts/ (namespace portal)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.contact_list, name="crm_contact_list"),
    path("new/", views.contact_create, name="crm_contact_create"),
    path("duplicates/", views.duplicates, name="crm_duplicates"),
    path("merge/", views.merge, name="crm_merge"),
    path("import/", views.import_contacts, name="crm_import"),
    path("import/<id:import_id>/", views.import_detail, name="crm_import_detail"),
    path("export/", views.export_contacts, name="crm_export"),
    path("retention/", views.retention, name="crm_retention"),
    path("retention/anonymise/", views.retention_anonymise, name="crm_retention_anonymise"),
    path("roles/", views.roles, name="crm_roles"),
    path("fields/", views.custom_fields, name="crm_custom_fields"),
    path("segments/", views.segments, name="crm_segments"),
    path("segments/<id:segment_id>/", views.segment_detail, name="crm_segment_detail"),
    path("<id:contact_id>/", views.contact_detail, name="crm_contact_detail"),
    path("<id:contact_id>/edit/", views.contact_edit, name="crm_contact_edit"),
    path("<id:contact_id>/consents/", views.contact_consent, name="crm_contact_consent"),
    path("<id:contact_id>/withdraw/", views.contact_withdraw, name="crm_contact_withdraw"),
    path(
        "<id:contact_id>/interactions/", views.contact_interaction, name="crm_contact_interaction"
    ),
    path(
        "<id:contact_id>/relationships/",
        views.contact_relationship,
        name="crm_contact_relationship",
    ),
    path("<id:contact_id>/anonymise/", views.contact_anonymise, name="crm_contact_anonymise"),
    path("<id:contact_id>/data.json", views.contact_data, name="crm_contact_data"),
]
