"""Public training statistics at /training/ and /training/statistics/ (and /es/…, /ca/…), in
the ``training`` namespace."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    # /training/ is the programmes' public summary; /training/statistics/ the same page, as
    # linked since it was first published.
    path("", views.public_statistics, name="index"),
    path("statistics/", views.public_statistics, name="statistics"),
]
