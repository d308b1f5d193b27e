from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Appointments")

    def ready(self):
        """Notifications hear of every change; so does the page cache (core.pagecache),
        since pages show counsellors and what can be booked."""
        from django.db.models.signals import post_delete, post_save

        from core import pagecache

        from .calendars.feed import watch_shared_content
        from .models import Counsellor
        from .notifications.invitations import on_invitation_sent
        from .notifications.outbox import on_booking_changed
        from .notifications.refusals import on_booking_refused
        from .services.signals import booking_changed, booking_refused, invitation_sent

        booking_changed.connect(on_booking_changed, dispatch_uid="booking.notifications")
        booking_refused.connect(on_booking_refused, dispatch_uid="booking.notifications.refusals")
        invitation_sent.connect(
            on_invitation_sent, dispatch_uid="booking.notifications.invitations"
        )
        booking_changed.connect(pagecache.on_change, dispatch_uid="core.pagecache")
        for signal in (post_save, post_delete):
            signal.connect(pagecache.on_change, sender=Counsellor, dispatch_uid="core.pagecache")
        watch_shared_content()
