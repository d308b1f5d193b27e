from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventDaysConfig(AppConfig):
    name = "eventdays"
    verbose_name = _("Event days")

    def ready(self):
        from .sport import privacy  # noqa: F401  (connects the sport days' export)
