"""The event days' admin sections."""

from wagtail import hooks

from .speed.admin import SPEED
from .speed.follow_ups_admin import FOLLOW_UPS
from .sport.staff import SPORT_DAYS


@hooks.register("register_admin_viewset")
def register_speed_meetings():
    return SPEED


@hooks.register("register_admin_viewset")
def register_speed_follow_ups():
    return FOLLOW_UPS


@hooks.register("register_admin_viewset")
def register_sport_days():
    return SPORT_DAYS
