"""Each e-mail goes out once: claimed before the mail server is contacted, recorded as
sent right after, and a resend after a worker died carries the same Message-ID."""

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from booking.models import Notification
from booking.notifications import delivery

from ..flow_support import book, free_slots

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class WorkerKilled(BaseException):
    """What the worker's last instant looks like from inside: nothing after it runs."""


class KilledAfterAcceptance(EmailBackend):
    """The mail server accepted the message, then the worker died before going on."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


def pending_confirmation(samira):
    """A booking whose confirmation is recorded, its task not run yet."""
    booking = book(free_slots(samira)[0])
    return booking, Notification.objects.get(booking=booking, kind="booked")


def test_a_worker_killed_after_the_server_accepted_resends_the_same_message_once(samira, settings):
    booking, notification = pending_confirmation(samira)
    settings.EMAIL_BACKEND = "tests.booking.notifications.test_delivery.KilledAfterAcceptance"
    try:
        delivery.deliver(notification.pk)
    except WorkerKilled:
        pass
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENDING
    settings.EMAIL_BACKEND = LOCMEM

    call_command("send_pending_notifications")
    assert delivery.deliver(notification.pk) is None, "claimed: nobody else sends it"
    assert len(mail.outbox) == 1

    after_the_lease = timezone.now() + delivery.CLAIM_LEASE
    assert delivery.deliver(notification.pk, now=after_the_lease) == Notification.Status.SENT
    assert delivery.deliver(notification.pk, now=after_the_lease) is None, "sent: never again"

    first, resent = mail.outbox
    assert first.message()["Message-ID"] == resent.message()["Message-ID"]
    assert str(booking.uuid) in first.message()["Message-ID"]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)


def test_a_worker_killed_before_sending_sends_it_after_the_lease(samira, settings):
    _booking, notification = pending_confirmation(samira)
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + delivery.CLAIM_LEASE,
    )
    call_command("send_pending_notifications")
    assert mail.outbox == [], "the lease is not over"

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    call_command("send_pending_notifications")
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT


def test_each_notification_has_its_own_message_id(samira):
    _booking, one = pending_confirmation(samira)
    second = book(free_slots(samira)[1], email="tom@example.org")
    other = Notification.objects.get(booking=second)
    ids = {delivery.message_id(one), delivery.message_id(other)}
    assert len(ids) == 2
    assert delivery.deliver(one.pk) == Notification.Status.SENT
    assert mail.outbox[0].message()["Message-ID"] == delivery.message_id(one)
