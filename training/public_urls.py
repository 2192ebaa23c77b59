"""Public training statistics at /training/ (and /es/…, /ca/…), in the ``training`` namespace."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("statistics/", views.public_statistics, name="statistics"),
]
