"""What a refused request or a failed e-mail writes to the server's log keeps the
secrets out: the manage link's token, the counsellor's feed token, the recipient's
address (core.logging, attached to every handler by settings.LOGGING)."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from booking.calendars import feed
from booking.models import Notification
from booking.services.tokens import make_token
from tests.core.support import server_log

from .flow_support import book, choices, free_slots, post_booking


class RefuseEveryRecipient:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user here"


@pytest.fixture
def refusing_mail_server():
    """A real SMTP server on a free local port that refuses every recipient."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(RefuseEveryRecipient(), hostname="127.0.0.1", port=port)
    controller.start()
    yield "127.0.0.1", port
    controller.stop()


@pytest.mark.parametrize("action", ["cancel", "move"])
def test_a_refused_change_logs_no_manage_token(client, samira, action):
    token = make_token(book(free_slots(samira)[0]))

    with server_log() as log:
        response = client.post(reverse(f"booking:{action}", args=[token]), {"revision": "-1"})

    assert response.status_code == 400
    written = log.getvalue()
    assert "Bad Request: /rendez-vous/gerer/" in written
    assert token not in written


def test_a_post_to_a_feed_logs_no_feed_token(samira):
    token = feed.issue_token(samira)

    with server_log() as log:
        response = Client(enforce_csrf_checks=True).post(
            reverse("booking:counsellor_feed", args=[token])
        )

    assert response.status_code == 403
    written = log.getvalue()
    assert "Forbidden (CSRF cookie not set.): /rendez-vous/agenda/" in written
    assert token not in written


def test_a_refused_recipient_is_not_named_in_the_log(
    client,
    samira,
    individuel,
    structure,
    settings,
    refusing_mail_server,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = refusing_mail_server
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    address = "leo.martin@example.org"

    with server_log() as log, django_capture_on_commit_callbacks(execute=True):
        response = post_booking(
            client, choices(samira, individuel, structure, free_slots(samira)[0]), email=address
        )

    assert response.status_code == 303
    assert Notification.objects.get().status == Notification.Status.FAILED
    written = log.getvalue()
    assert "SMTPRecipientsRefused" in written, "the traceback is logged"
    assert address not in written
