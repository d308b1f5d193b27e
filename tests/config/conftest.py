"""A real SMTP sink, and the booking fixtures the runtime tests book with."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache

from tests.booking.conftest import individuel, make_counsellor, samira, structure  # noqa: F401


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What an SMTP server on loopback received, as aiosmtpd envelopes."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings):
    """The site's mail goes over SMTP to a real server on loopback; returns its inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
