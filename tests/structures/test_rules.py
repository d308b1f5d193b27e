"""What differs from one structure to the next: when reminders go out, and who the
e-mails come from and go back to."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from booking.models import Booking, Notification
from booking.notifications.delivery import deliver
from tests.booking.factories import BookingFactory

from .conftest import open_counsellor

pytestmark = pytest.mark.django_db


def booking_starting_in(counsellor, hours, email):
    start = timezone.now() + timedelta(hours=hours)
    booking = BookingFactory(
        counsellor=counsellor,
        format=counsellor.formats.get(),
        start=start,
        young_person__email=email,
    )
    # Made a week ago: its confirmation is not recent enough to stand for a reminder.
    Booking.objects.filter(pk=booking.pk).update(updated_at=start - timedelta(days=7))
    return booking


def test_each_structure_reminds_on_its_own_schedule(lens, other_structure):
    """Lens reminds 48 hours before (the default), Sud 2 hours before."""
    other_structure.reminder_hours = "2"
    other_structure.save()
    samia = open_counsellor(lens, "samia")
    nathalie = open_counsellor(other_structure, "nathalie")
    lens_tomorrow = booking_starting_in(samia, 30, "lea@example.org")
    sud_tomorrow = booking_starting_in(nathalie, 30, "ines@example.org")
    sud_soon = booking_starting_in(nathalie, 1.5, "noah@example.org")

    call_command("send_reminders")

    kinds = dict(Notification.objects.values_list("booking", "kind"))
    assert kinds == {lens_tomorrow.pk: "reminder-48h", sud_soon.pk: "reminder-2h"}
    assert sud_tomorrow.pk not in kinds


def test_emails_come_from_their_structure_and_answers_go_back_to_it(other_structure, settings):
    settings.DEFAULT_FROM_EMAIL = "Passerelle <ne-pas-repondre@passerelle.example.org>"
    other_structure.sender_email = "rdv@ml-sud.example.org"
    other_structure.reply_to_email = "accueil@ml-sud.example.org"
    other_structure.save()
    booking = booking_starting_in(
        open_counsellor(other_structure, "nathalie"), 72, "ines@example.org"
    )
    notification = Notification.objects.create(booking=booking, kind="booked", sequence=0)

    deliver(notification.pk)

    [message] = mail.outbox
    assert message.from_email == "Mission Locale Sud <rdv@ml-sud.example.org>"
    assert message.reply_to == ["accueil@ml-sud.example.org"]
    assert "Mission Locale Sud" in message.body
    assert "http://sud.localhost/rendez-vous/gerer/" in message.body
