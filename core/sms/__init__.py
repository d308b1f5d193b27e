"""Text messages, in the shape of Django's e-mail API: `send_sms(to, text)` through the
backend named by the SMS_BACKEND setting (a dotted path), as `send_mail` goes through
EMAIL_BACKEND.

- `backends.console` prints them (development), `backends.locmem` keeps them in
  `core.sms.outbox` (tests, like `django.core.mail.outbox`), `backends.brevo` and
  `backends.smsfactor` send them through those providers' HTTP APIs.
- An empty SMS_BACKEND means the install has no gateway: `is_available()` is False and
  nothing records a text message at all.
- A backend raises `TemporaryError` for what may work later (a timeout, the provider's
  5xx) and `PermanentError` for what never will (a refused number, a wrong key): the
  caller retries the first and gives up on the second.

Texts are normalised to GSM-7 (`gsm7`) before any backend sees them, so what is counted
is what is sent.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from . import gsm7

# The test outbox: what `backends.locmem` sent, oldest first.
outbox = []


@dataclass(frozen=True)
class SmsResult:
    """What the provider answered: its id for the message (for delivery reports and its
    support), and how many messages it billed (ours, counted, when it does not say)."""

    message_id: str
    segments: int


class SmsError(Exception):
    pass


class TemporaryError(SmsError):
    """Worth trying again later: the provider is down, slow or overloaded."""


class PermanentError(SmsError):
    """Will fail again: a refused number or sender, a wrong key, no credit."""


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, "+33612345678"
    text: str
    sender: str
    reference: str = ""  # ours, echoed by providers that take one (delivery reports)


def is_available():
    return bool(settings.SMS_BACKEND)


def get_backend(path=None):
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(to, text, *, sender=None, reference="", backend=None):
    """Send one text message, normalised to GSM-7; returns an SmsResult or raises an
    SmsError."""
    message = SmsMessage(
        to=to,
        text=gsm7.normalise(text),
        sender=sender or settings.SMS_DEFAULT_SENDER,
        reference=reference,
    )
    return (backend or get_backend()).send(message)
