"""Text messages, in the shape of Django's e-mail API: `send_sms(to, text)` through the
backend named by the SMS_BACKEND setting (a dotted path), as `send_mail` goes through
EMAIL_BACKEND.

- `backends.console` prints them (development), `backends.locmem` keeps them in
  `core.sms.outbox` (tests, like `django.core.mail.outbox`), `backends.brevo` and
  `backends.smsfactor` send them through those providers' HTTP APIs.
- An empty SMS_BACKEND means the install has no gateway: `is_available()` is False and
  nothing records a text message at all.
- The HTTP backends also read their provider's delivery reports (`read_report`, one
  small function next to each sender): `read_report(fields)` here asks the SMS_BACKEND's.
- A backend raises `TemporaryError` for what may work later (a timeout, the provider's
  5xx) and `PermanentError` for what never will (a refused number, a wrong key): the
  caller retries the first and gives up on the second.

Texts are normalised to GSM-7 (`gsm7`) before any backend sees them, so what is counted
is what is sent.
"""

from dataclasses import dataclass
from enum import StrEnum

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


class Delivery(StrEnum):
    """What a delivery report says in the end; in-between news ("sent") is not one."""

    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"


@dataclass(frozen=True)
class Report:
    """A provider's news about one message (`message_id`, as its send answered), or an
    answer from a phone: `delivery` None for in-between news, `reply_from` and `reply`
    the number and the text of an answer, `stopped` when the number asked for no more."""

    message_id: str = ""
    delivery: Delivery | None = None
    reply_from: str = ""
    reply: str = ""
    stopped: bool = False


MESSAGE_ID_LENGTH = 100


def message_id_of(value):
    """A provider's message id as we store it (an integer for Brevo), or "" when the
    value cannot be one (a list, a NUL, too long)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    text = str(value).strip()
    if not text or len(text) > MESSAGE_ID_LENGTH or not text.isprintable():
        return ""
    return text


def read_report(fields):
    """The SMS_BACKEND's reading of a delivery report (a dict of its fields, from a form,
    a query or JSON), or None when it is not one or the backend gets none."""
    if not is_available():
        return None
    reader = getattr(get_backend(), "read_report", None)
    return reader(fields) if reader else None


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
