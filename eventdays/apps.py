from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventDaysConfig(AppConfig):
    name = "eventdays"
    verbose_name = _("Event days")

    def ready(self):
        from booking.services.signals import registration_changed

        from .speed import privacy, receivers

        registration_changed.connect(
            receivers.on_registration_changed, dispatch_uid="eventdays.speed.registrations"
        )
        privacy.connect()
