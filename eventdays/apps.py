from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventDaysConfig(AppConfig):
    name = "eventdays"
    verbose_name = _("Event days")
