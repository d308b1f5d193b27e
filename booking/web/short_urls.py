"""Mounted at /r/ (config/urls.py): the short links text messages carry."""

from django.urls import path

from . import views

app_name = "short"

urlpatterns = [path("<str:token>", views.short_link, name="link")]
