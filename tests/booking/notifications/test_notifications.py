"""E-mails recorded with the booking and sent after commit, with their calendar file;
retried when the mail server fails or the process died; reminders exactly once."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from booking import services
from booking.models import Booking, Notification
from booking.notifications import delivery, outbox
from booking.notifications.delivery import REMINDER
from structures.models import Structure

from ..flow_support import (
    assert_shows,
    book,
    choices,
    free_slots,
    post_booking,
    text,
)

FAILING_BACKEND = "tests.booking.flow_support.FailingEmailBackend"


@pytest.fixture
def slot(samira):
    return free_slots(samira)[0]


def calendar_part(message):
    """(MIME part, parsed calendar) of the .ics attached to an e-mail."""
    part = next(
        attachment
        for attachment in message.message().walk()
        if attachment.get_content_type() == "text/calendar"
    )
    return part, icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_confirmation_goes_out_after_commit_with_the_appointment_attached(
    client, samira, individuel, structure, slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_booking(client, choices(samira, individuel, structure, slot))
    assert response.status_code == 303
    assert mail.outbox == [], "nothing sent before commit"
    assert Notification.objects.get().status == "pending", "recorded with the booking"

    for callback in callbacks:
        callback()
    booking = Booking.objects.get()
    notification = Notification.objects.get()
    assert (notification.kind, notification.status, notification.attempts) == ("booked", "sent", 1)
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "Léa" in message.body
    assert "/rendez-vous/gerer/" in message.body
    assert "/rendez-vous/gerer/" in message.alternatives[0][0]
    part, calendar = calendar_part(message)
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"booking-{booking.uuid}@")
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == slot.start
    assert "lea@example.org" in str(event["ATTENDEE"])


def test_phone_only_people_get_a_text_message_and_are_told_so(
    client, samira, individuel, structure, slot, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(
            client, choices(samira, individuel, structure, slot), email="", phone="0781234567"
        )
    assert response.status_code == 303
    assert mail.outbox == []
    [message] = sms_outbox
    assert message.to == "+33781234567"
    assert "/r/" in message.text
    notification = Notification.objects.get()
    assert (notification.channel, notification.status, notification.segments) == ("sms", "sent", 1)
    page = client.get(response["Location"])
    assert_shows(
        page,
        gettext(
            "A confirmation text message is on its way to your phone, and we will remind "
            "you of the appointment."
        ),
    )
    assert "booking-link-copy__url" in text(page)


def test_a_failing_mail_server_keeps_the_booking_and_the_mail_is_retried(
    client, samira, individuel, structure, slot, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, choices(samira, individuel, structure, slot))
    assert response.status_code == 303
    assert client.get(response["Location"]).status_code == 200
    assert Booking.objects.filter(status=Booking.Status.CONFIRMED).count() == 1
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert "SMTPException" in notification.last_error
    assert notification.next_attempt_at > timezone.now(), "waits before trying again"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_notifications")
    assert mail.outbox == [], "not due yet"

    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("send_pending_notifications")
    call_command("send_pending_notifications")
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_an_outdated_confirmation_is_not_sent_late(slot, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    booking = book(slot)
    other = free_slots(booking.counsellor)[1]
    services.move(booking, by=services.Actor.PERSON, start=other.start)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("send_pending_notifications")
    statuses = dict(Notification.objects.values_list("kind", "status"))
    assert statuses == {"booked": Notification.Status.SKIPPED, "moved": Notification.Status.SENT}
    [message] = mail.outbox
    assert message.subject.startswith("Ton rendez-vous est déplacé")


def test_move_and_cancellation_mails_update_the_calendar_event(
    slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(slot)
    other = free_slots(booking.counsellor)[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by=services.Actor.PERSON, start=other.start)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking, by=services.Actor.PERSON)

    booked, moved, cancelled = mail.outbox
    uids = set()
    for message, method, sequence in ((moved, "REQUEST", 1), (cancelled, "CANCEL", 2)):
        part, calendar = calendar_part(message)
        assert part.get_param("method") == method == calendar["METHOD"]
        [event] = calendar.walk("VEVENT")
        assert event["SEQUENCE"] == sequence
        uids.add(str(event["UID"]))
    assert len(uids) == 1, "one event, updated then cancelled"
    assert calendar_part(moved)[1].walk("VEVENT")[0].decoded("DTSTART") == other.start
    assert calendar_part(cancelled)[1].walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert "/rendez-vous/" in cancelled.body


def test_staff_cancellation_mail_carries_the_message(slot, django_capture_on_commit_callbacks):
    booking = book(slot)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking, by=services.Actor.STAFF, message="Samira est malade, désolée !")
    [message] = mail.outbox
    assert "Samira est malade, désolée !" in message.body
    assert "Samira est malade, désolée !" in message.alternatives[0][0].replace("&#x27;", "'")
    assert Notification.objects.get(status="sent").kind == "cancelled"


def booking_in(samira, hours, *, changed_hours_before):
    """A confirmed booking starting in about `hours`, last changed well before."""
    slot = next(s for s in free_slots(samira) if s.start >= timezone.now() + timedelta(hours=hours))
    booking = book(slot)
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(hours=hours),
        end=timezone.now() + timedelta(hours=hours, minutes=45),
        busy_until=timezone.now() + timedelta(hours=hours, minutes=60),
        updated_at=timezone.now() + timedelta(hours=hours - changed_hours_before),
    )
    return booking


def reminders():
    return Notification.objects.filter(kind__startswith=REMINDER)


def test_reminder_goes_out_once_even_if_the_command_runs_twice(
    samira, django_capture_on_commit_callbacks
):
    # Cancelled first: one person holds at most 3 appointments to come.
    cancelled = booking_in(samira, 40, changed_hours_before=100)
    services.cancel(cancelled, by=services.Actor.PERSON)
    due = booking_in(samira, 47, changed_hours_before=72)
    booking_in(samira, 45, changed_hours_before=30)  # booked recently: its confirmation will do
    far = booking_in(samira, 60, changed_hours_before=100)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
        call_command("send_reminders")

    [reminder] = reminders()
    assert (reminder.booking, reminder.kind, reminder.status) == (due, "reminder-48h", "sent")
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "/rendez-vous/gerer/" in message.body
    assert "?rappel=1" in message.body, "the one-tap answers"
    assert not reminders().filter(booking=far).exists()


def test_optional_second_reminder_the_day_before(samira):
    lens = Structure.default()
    lens.reminder_hours = "48, 24"
    lens.save()
    two_days = booking_in(samira, 40, changed_hours_before=100)
    one_day = booking_in(samira, 20, changed_hours_before=100)
    late_booker = booking_in(samira, 22, changed_hours_before=30)

    call_command("send_reminders")

    sent = dict(reminders().values_list("booking", "kind"))
    assert sent == {
        two_days.pk: "reminder-48h",
        one_day.pk: "reminder-24h",
        late_booker.pk: "reminder-24h",
    }


def test_two_schedulers_at_once_send_one_reminder(
    samira, monkeypatch, django_capture_on_commit_callbacks
):
    """Run A records the reminder; before its task runs, run B starts: B must neither
    record nor send it again, and A's task, even delivered twice, sends it once."""
    booking_in(samira, 47, changed_hours_before=72)
    queued = []
    monkeypatch.setattr(outbox, "enqueue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.send_reminders() == 1  # run A, its task not run yet
        assert outbox.send_reminders() == 0  # run B
    assert queued == [reminders().get().pk]

    assert delivery.deliver(queued[0]) == Notification.Status.SENT
    assert delivery.deliver(queued[0]) is None
    assert len(mail.outbox) == 1


def test_a_confirmation_survives_a_process_that_died_right_after_commit(
    slot, django_capture_on_commit_callbacks
):
    """The booking committed, then the process died before its on-commit hooks queued
    the e-mail: the retry command still finds it and sends it, once."""
    with django_capture_on_commit_callbacks(execute=False):
        booking = book(slot)
    assert mail.outbox == []

    call_command("send_pending_notifications")
    call_command("send_pending_notifications")

    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    notification = Notification.objects.get()
    assert (notification.booking, notification.kind, notification.status) == (
        booking,
        "booked",
        "sent",
    )


def test_a_change_rolled_back_records_no_email(slot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            book(slot)
            raise RuntimeError("the caller's transaction fails after the booking")
    assert not Booking.objects.exists()
    assert not Notification.objects.exists()
    call_command("send_pending_notifications")
    assert mail.outbox == []
