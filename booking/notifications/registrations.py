"""Messages to young people about their registrations to event dates: confirmed (with
the date's .ics), on the waiting list (with their position), a seat offered (with its
deadline and the one-tap answers), the offer expired, cancelled, the date moved or
cancelled; and staff's message about the date to everyone on it
(`registrants_messaged`). Reached only through `registration_changed` and
`registrants_messaged` (connected in `BookingConfig.ready`): each message is a
`Notification` row of the same outbox as the bookings', recorded in the change's
transaction and sent after commit by the person's one channel
(`outbox.channel_for_person`), an SMS waiting for the morning.

And, heard through `already_registered`, the news to a contact that asked to register
for a date it already holds: the page answered as for anyone, so the link to the
registration goes only there. To an address, a plain e-mail like a booking's refusal
(nothing changed, so no Notification row); to a number, an SMS through the outbox
(its quiet hours and retries), once per revision of the registration however often
the number is typed."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from booking.services.signals import RegistrationChange
from booking.services.sms import sms_reachable
from booking.services.tokens import make_registration_token
from core.dates import local_when
from core.sms.hours import next_sending_time

from .outbox import SMS, channel_for_person, record
from .refusals import send_plain_email

# A decline is the person's own answer, and a check-in their presence: nothing to tell.
TOLD = (
    RegistrationChange.CONFIRMED,
    RegistrationChange.WAITING,
    RegistrationChange.OFFERED,
    RegistrationChange.EXPIRED,
    RegistrationChange.CANCELLED,
    RegistrationChange.MOVED,
    RegistrationChange.EVENT_CANCELLED,
)


def on_registration_changed(sender, registration, change, **kwargs):
    if change in TOLD:
        notify(registration, change)


def on_registrants_messaged(sender, message, registrations, **kwargs):
    for registration in registrations:
        notify(registration, RegistrationChange.MESSAGE, date_message=message)


def notify(registration, kind, *, date_message=None, now=None):
    """Record the message for this revision (or staff's `date_message`) on the person's
    channel; None when nobody can be reached. Every change raised the revision, and a
    staff message is new: one INSERT, no savepoint."""
    person = registration.young_person
    if person is None:
        return None
    structure = registration.structure
    channel = channel_for_person(person, lambda: structure)
    if channel is None:
        return None
    return record(_row(registration, kind, channel, date_message, now), once=False)


def _row(registration, kind, channel, date_message=None, now=None):
    structure = registration.structure
    row = {
        "registration": registration,
        "kind": kind,
        "sequence": registration.sequence,
        "channel": channel,
        "date_message": date_message,
    }
    if channel == SMS:
        row["next_attempt_at"] = next_sending_time(now or timezone.now(), structure.zone)
    return row


def on_already_registered(sender, registration, email="", phone="", **kwargs):
    """Queue the e-mail to `email`, or the SMS to `phone` (the person's number) when the
    structure may text them, with the link to the registration it holds."""
    structure = registration.structure
    if not email:
        if phone and sms_reachable(registration.young_person, structure):
            kind = RegistrationChange.ALREADY_REGISTERED
            return record(_row(registration, kind, SMS), once=True)
        return None
    token = make_registration_token(registration, sent=True)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        context = {
            "registration": registration,
            "manage_url": structure.public_url + reverse("booking:registration", args=[token]),
            "site_name": structure.name,
        }
        subject = _("You are already registered for %(event)s on %(when)s") % {
            "event": registration.date.title,
            "when": local_when(registration.date.start),
        }
        body = render_to_string("booking/emails/already_registered.txt", context)
    send_plain_email.enqueue(email, subject, body, structure.from_email)
