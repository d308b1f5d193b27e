from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Appointments")

    def ready(self):
        from .calendars.feed import watch_shared_content
        from .notifications.outbox import on_booking_changed
        from .notifications.refusals import on_booking_refused
        from .services.signals import booking_changed, booking_refused

        booking_changed.connect(on_booking_changed, dispatch_uid="booking.notifications")
        booking_refused.connect(on_booking_refused, dispatch_uid="booking.notifications.refusals")
        watch_shared_content()
