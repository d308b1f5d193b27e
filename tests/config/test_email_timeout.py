"""A mail server that accepts the connection and then says nothing must not hold a
booking: the request ends, the booking stays, and the e-mail waits for a retry."""

import socket
import threading

import pytest
from django.utils import timezone

from booking.models import Booking, Notification
from tests.config.support import book_through_api

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def silent_smtp_server(settings):
    """A loopback server that accepts connections and never answers (a stuck relay). It
    hangs up after a minute, so code without a timeout fails instead of hanging forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    def hang_up():
        stop.set()
        for connection in accepted:
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    timer = threading.Timer(60, hang_up)
    timer.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", listener.getsockname()[1]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    yield accepted
    timer.cancel()
    hang_up()
    thread.join()
    listener.close()


def test_a_silent_mail_server_neither_blocks_nor_loses_the_booking(
    client, samira, silent_smtp_server, settings
):
    settings.EMAIL_TIMEOUT = 1
    settings.BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS = False

    response = book_through_api(client)

    assert response.status_code == 201
    assert silent_smtp_server, "the site did try to send the confirmation"
    assert Booking.objects.get().young_person.email == "lea@example.org"
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.FAILED
    assert notification.last_error.endswith("timed out"), "given up on, not hung up on"
    assert notification.next_attempt_at > timezone.now(), "tried again later"
