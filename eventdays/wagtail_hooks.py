"""The event days' admin sections, one line each."""

from wagtail import hooks

from .sport.staff import SPORT_DAYS


@hooks.register("register_admin_viewset")
def register_sport_days():
    return SPORT_DAYS
