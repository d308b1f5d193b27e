from django.urls import path

from . import web

urlpatterns = [
    path("arbitre/<str:token>/", web.referee, name="sport_referee"),
    path("<int:pk>/tableau/", web.scoreboard, name="sport_scoreboard"),
    path("<int:pk>/resultats/", web.results, name="sport_results"),
    path("recruteurs/<str:token>/", web.recruiters, name="sport_recruiters"),
]
