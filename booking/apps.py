from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Appointments")

    def ready(self):
        """Notifications hear of every change; so does the page cache (core.pagecache),
        since pages show counsellors, what can be booked and the seats left at events.
        A published event page tells its registrations of dates moved or gone
        (services.registrations.sync_event), one unpublished or deleted cancels them
        (cancel_event); the events' calendar files say the seats
        left (calendars.seat_notes, through core.date_notes). Counsellors follow their
        structures into their media groups (staff.media_groups)."""
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_migrate,
            post_save,
            pre_delete,
            pre_save,
        )
        from wagtail.signals import page_published, page_unpublished

        from core import date_notes, pagecache

        from .calendars.feed import watch_shared_content
        from .calendars.seat_notes import on_notes_wanted
        from .models import AvailabilityRule, Counsellor, Format, GroupSession, Place
        from .notifications import counsellors
        from .notifications.invitations import on_invitation_sent
        from .notifications.outbox import on_booking_changed, on_sms_undelivered
        from .notifications.refusals import on_booking_refused
        from .notifications.registrations import (
            on_already_registered,
            on_registrants_messaged,
            on_registration_changed,
        )
        from .services.registrations import (
            on_page_published,
            on_page_removed,
            on_session_deleted,
            on_session_saved,
        )
        from .services.signals import (
            already_registered,
            booking_changed,
            booking_refused,
            invitation_sent,
            registrants_messaged,
            registration_changed,
            sms_undelivered,
        )
        from .staff import media_groups

        booking_changed.connect(on_booking_changed, dispatch_uid="booking.notifications")
        booking_changed.connect(
            counsellors.on_booking_changed, dispatch_uid="booking.notifications.counsellors"
        )
        sms_undelivered.connect(on_sms_undelivered, dispatch_uid="booking.notifications")
        booking_refused.connect(on_booking_refused, dispatch_uid="booking.notifications.refusals")
        invitation_sent.connect(
            on_invitation_sent, dispatch_uid="booking.notifications.invitations"
        )
        booking_changed.connect(pagecache.on_change, dispatch_uid="core.pagecache")
        registration_changed.connect(
            on_registration_changed, dispatch_uid="booking.notifications.registrations"
        )
        registration_changed.connect(pagecache.on_change, dispatch_uid="core.pagecache")
        already_registered.connect(
            on_already_registered, dispatch_uid="booking.notifications.registrations"
        )
        registrants_messaged.connect(
            on_registrants_messaged, dispatch_uid="booking.notifications.registrations"
        )
        page_published.connect(on_page_published, dispatch_uid="booking.registrations")
        page_unpublished.connect(on_page_removed, dispatch_uid="booking.registrations")
        pre_delete.connect(on_page_removed, dispatch_uid="booking.registrations")
        pre_delete.connect(
            on_session_deleted, sender=GroupSession, dispatch_uid="booking.session_lists"
        )
        post_save.connect(
            on_session_saved, sender=GroupSession, dispatch_uid="booking.session_lists"
        )
        date_notes.notes_wanted.connect(on_notes_wanted, dispatch_uid="booking.seat_notes")
        # What the booking flow offers (its steps keep it under the site's version).
        for model in (Counsellor, Format, Place, AvailabilityRule):
            for signal in (post_save, post_delete):
                signal.connect(pagecache.on_change, sender=model, dispatch_uid="core.pagecache")
        for relation in (Counsellor.structures, Counsellor.formats, AvailabilityRule.formats):
            m2m_changed.connect(
                pagecache.on_change, sender=relation.through, dispatch_uid="core.pagecache"
            )
        watch_shared_content()
        uid = "booking.media_groups"
        pre_save.connect(media_groups.remember_the_user, sender=Counsellor, dispatch_uid=uid)
        post_save.connect(media_groups.on_counsellor_saved, sender=Counsellor, dispatch_uid=uid)
        m2m_changed.connect(
            media_groups.on_structures_changed,
            sender=Counsellor.structures.through,
            dispatch_uid=uid,
        )
        post_migrate.connect(media_groups.every_counsellor_follows, sender=self, dispatch_uid=uid)
