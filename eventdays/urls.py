"""The event days' public pages, under /journees/ (config.urls)."""

from django.urls import include, path

from .speed import follow_ups_web as after
from .speed import web as speed

app_name = "eventdays"

urlpatterns = [
    path("adopte-un-pro/pros/<str:token>/", speed.pros_register, name="speed_pros"),
    path("adopte-un-pro/pro/<str:token>/", speed.pro_page, name="speed_pro"),
    path("adopte-un-pro/programme/<str:token>/", speed.schedule, name="speed_schedule"),
    path("adopte-un-pro/souhaits/<str:token>/", speed.wishes, name="speed_wishes"),
    path("adopte-un-pro/ecran/<str:token>/", speed.screen, name="speed_screen"),
    path("adopte-un-pro/choix/<str:token>/", after.choices, name="speed_choices"),
    path("adopte-un-pro/pro/<str:token>/suivi/", after.marks, name="speed_marks"),
    path("sport/", include("eventdays.sport.urls")),
]
