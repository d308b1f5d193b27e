"""Mounted at /journees/ (config/urls.py): the event days' pages without an account."""

from django.urls import include, path

app_name = "eventdays"

urlpatterns = [
    path("sport/", include("eventdays.sport.urls")),
]
