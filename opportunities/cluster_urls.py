"""The cluster's map and figures at /cluster/ (and /es/…, /ca/…)."""

from django.urls import path

from . import views

app_name = "cluster_figures"

urlpatterns = [
    path("", views.cluster_figures, name="figures"),
    path("<slug:figure>.csv", views.figure_csv, name="figure_csv"),
]
