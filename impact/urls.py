"""The impact map editor in the portal, under /portal/projects/<project_id>/impact/.

Included from ``home.portal_urls`` inside the ``portal`` namespace: names are
``portal:impact_…``.
"""

from django.urls import path, re_path

from . import views

KIND = r"(?P<kind>forecast|evaluative)"

urlpatterns = [
    path("", views.overview, name="impact_overview"),
    path("new/", views.map_create, name="impact_map_create"),
    re_path(rf"^{KIND}/$", views.map_detail, name="impact_map"),
    re_path(rf"^{KIND}/settings/$", views.map_settings, name="impact_map_settings"),
    re_path(rf"^{KIND}/publish/$", views.map_publish, name="impact_map_publish"),
    re_path(rf"^{KIND}/unpublish/$", views.map_unpublish, name="impact_map_unpublish"),
    re_path(rf"^{KIND}/delete/$", views.map_delete, name="impact_map_delete"),
    re_path(rf"^{KIND}/value-map\.xlsx$", views.value_map_download, name="impact_xlsx"),
    re_path(rf"^{KIND}/import/$", views.value_map_import, name="impact_import"),
    re_path(
        rf"^{KIND}/suggestions/offer/$",
        views.input_suggestion_offer,
        name="impact_suggestion_offer",
    ),
    re_path(
        rf"^{KIND}/suggestions/outcome/$",
        views.outcome_suggestion_fill,
        name="impact_outcome_fill",
    ),
    *[
        re_path(
            rf"^{KIND}/{section}/$",
            views.map_rows,
            {"section": section},
            name=f"impact_{section}",
        )
        for section in ("stakeholders", "inputs", "outputs", "outcomes")
    ],
]
