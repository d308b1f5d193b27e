from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventDaysConfig(AppConfig):
    name = "eventdays"
    verbose_name = _("Event days")

    def ready(self):
        from booking.services.signals import registration_changed
        from booking.web.registrations import manage_page_links

        from .speed import follow_ups_web, privacy, receivers, web
        from .sport import privacy as sport_privacy  # noqa: F401  (connects its export)

        registration_changed.connect(
            receivers.on_registration_changed, dispatch_uid="eventdays.speed.registrations"
        )
        manage_page_links.connect(web.manage_page_links, dispatch_uid="eventdays.speed.manage")
        manage_page_links.connect(follow_ups_web.manage_page_links, dispatch_uid="eventdays.after")
        privacy.connect()
