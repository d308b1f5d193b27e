"""The event days' admin sections."""

from wagtail import hooks

from .speed.admin import SPEED


@hooks.register("register_admin_viewset")
def register_speed_meetings():
    return SPEED
