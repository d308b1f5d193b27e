"""Mounted at /rendez-vous/ (config/urls.py), before Wagtail's catch-all."""

from django.urls import path

from booking.calendars import feed

from . import registrations, views

app_name = "booking"

urlpatterns = [
    path("", views.flow, name="flow"),
    path("demande-envoyee/", views.request_sent, name="request_sent"),
    path("confidentialite/", views.privacy_notice, name="privacy"),
    path("confirmation/<str:token>/", views.confirmation, name="confirmation"),
    path("gerer/<str:token>/", views.manage, name="manage"),
    path("gerer/<str:token>/annuler/", views.cancel, name="cancel"),
    path("gerer/<str:token>/deplacer/", views.move, name="move"),
    path("gerer/<str:token>/je-viens/", views.confirm_attendance, name="confirm_attendance"),
    path("gerer/<str:token>/sans-sms/", views.stop_sms, name="stop_sms"),
    path("gerer/<str:token>/rendez-vous.ics", views.calendar_file, name="calendar"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("inscription/<int:page_id>/<str:key>/", registrations.register, name="register"),
    path(
        "groupe/<int:session_id>/liste-d-attente/",
        registrations.join_session_list,
        name="session_waiting_list",
    ),
    path(
        "inscription/demande-envoyee/",
        registrations.registration_sent,
        name="registration_sent",
    ),
    path("inscription/gerer/<str:token>/", registrations.manage, name="registration"),
    path(
        "inscription/gerer/<str:token>/prendre/",
        registrations.accept,
        name="registration_accept",
    ),
    path(
        "inscription/gerer/<str:token>/laisser/",
        registrations.decline,
        name="registration_decline",
    ),
    path(
        "inscription/gerer/<str:token>/annuler/",
        registrations.cancel,
        name="registration_cancel",
    ),
    path(
        "inscription/gerer/<str:token>/evenement.ics",
        registrations.calendar_file,
        name="registration_calendar",
    ),
    path("agenda/<str:token>.ics", feed.counsellor_feed, name="counsellor_feed"),
    path("sms/<str:secret>/reponses/", views.sms_reply, name="sms_reply"),
    path("sms/<str:secret>/accuses/", views.sms_report, name="sms_report"),
]
