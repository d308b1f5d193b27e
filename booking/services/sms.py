"""What our text messages say, who no longer wants them, and what became of them.

Every SMS is one GSM-7 segment (160 septets, `core.sms.gsm7`), manage link included: a
second segment doubles the bill, and one character outside GSM-7 turns the message
into 70-character parts. So each text is composed, normalised, measured, and shortened
in this order until it fits, never split:
1. drop the structure's name (the sender phones show already names it: its SMS sender);
2. drop the place;
3. shorten the counsellor's name, then the person's first name, each to its first word
   (at most 15 characters);
4. drop the counsellor, then the first name.
What is left (the news, the date and the link) fits as long as the site's host name
does (about 60 characters); beyond that `MessageTooLong` says so rather than sending
two messages.

Composed here, below the layers that send them, so the notifications and the front
desk's invitations (`sms_text_for_invitation`) share the texts and the rule.

The providers' webhooks (booking.web.views) bring the rest: an answer "STOP" stops
every SMS to its number (`answer_received`); a delivery report records on the outbox
whether the SMS reached the phone (`record_report`), the first final answer for good,
and one that did not sends `sms_undelivered` once, in the same transaction, for the
notifications to tell the person by e-mail.
"""

from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from booking.models import Notification, YoungPerson
from core.dates import local_when
from core.sms import Delivery, gsm7

from .contacts import normalise_phone
from .errors import InvalidContact
from .signals import Change, RegistrationChange, send_sms_undelivered

SHORT_NAME_LENGTH = 15
REMINDER = "reminder"


class MessageTooLong(ValueError):
    """Even shortened, the text needs two SMS (a very long host name)."""


@dataclass(frozen=True)
class Parts:
    """The pieces of a message that may be shortened or dropped."""

    name: str = ""
    counsellor: str = ""
    place: str = ""
    structure: str = ""


def _headline(kind, when, parts):
    """The news, without the greeting: "your appointment is booked: … with Samira"."""
    who = ", ".join(part for part in (parts.counsellor, parts.place) if part)
    with_who = _(" with %(who)s") % {"who": who} if who else ""
    headlines = {
        Change.BOOKED: _("your appointment is booked: %(when)s%(with)s."),
        Change.MOVED: _("your appointment has moved to %(when)s%(with)s."),
        Change.CANCELLED: _("your appointment on %(when)s%(with)s is cancelled."),
        REMINDER: _("reminder of your appointment %(when)s%(with)s."),
    }
    return headlines[kind] % {"when": when, "with": with_who}


def _link_line(kind, link):
    lines = {
        Change.BOOKED: _("Move or cancel: %(link)s"),
        Change.MOVED: _("Move or cancel: %(link)s"),
        Change.CANCELLED: _("Book again: %(link)s"),
        REMINDER: _("Coming? Confirm or cancel: %(link)s"),
    }
    return lines[kind] % {"link": link}


def _assemble(headline, link_line, parts):
    greeting = f"{parts.name}, {headline}" if parts.name else capfirst(headline)
    signature = f" {parts.structure.rstrip('.')}." if parts.structure else ""
    return gsm7.normalise(f"{greeting}{signature} {link_line}")


def _shortened(value):
    first_word = value.split()[0] if value.split() else ""
    return first_word[:SHORT_NAME_LENGTH]


def _versions(parts):
    """`parts`, then each shorter version in the order of the module's docstring."""
    yield parts
    for field in ("structure", "place"):
        parts = replace(parts, **{field: ""})
        yield parts
    for field in ("counsellor", "name"):
        parts = replace(parts, **{field: _shortened(getattr(parts, field))})
        yield parts
    for field in ("counsellor", "name"):
        parts = replace(parts, **{field: ""})
        yield parts


def fit(compose, parts):
    """The first version of `compose(parts)` that is one GSM-7 segment."""
    for version in _versions(parts):
        text = compose(version)
        if gsm7.fits_one_segment(text):
            return text
    raise MessageTooLong(f"{gsm7.septets(text)} septets")


def notification_text(booking, kind, link):
    """The SMS about `booking` for a notification `kind` (a change, or REMINDER), in the
    active language and time zone, with `link` (its short link)."""
    person = booking.young_person
    when = local_when(booking.start)
    parts = Parts(
        name=person.first_name if person else "",
        counsellor=booking.counsellor.first_name,
        place=booking.place.name,
        structure=booking.structure.name,
    )
    headline_kind = REMINDER if kind.startswith(REMINDER) else kind
    return fit(
        lambda version: _assemble(
            _headline(headline_kind, when, version), _link_line(headline_kind, link), version
        ),
        parts,
    )


def sms_text_for_invitation(*, structure_name, counsellor_name, link, first_name=""):
    """A counsellor's invitation to book with them, by SMS: one segment, like the rest."""

    def compose(version):
        if version.counsellor:
            headline = _("%(counsellor)s invites you to book an appointment:") % {
                "counsellor": version.counsellor
            }
        else:
            headline = _("you are invited to book an appointment:")
        greeting = f"{version.name}, {headline}" if version.name else capfirst(headline)
        signature = f" {version.structure.rstrip('.')}." if version.structure else ""
        return gsm7.normalise(f"{greeting} {link}{signature}")

    return fit(
        compose, Parts(name=first_name, counsellor=counsellor_name, structure=structure_name)
    )


def sms_reachable(person, structure):
    """Whether `structure` may send `person` an SMS: a number, no STOP, a gateway."""
    return bool(person.phone and person.sms_stopped_at is None and structure.sends_sms)


STOP_WORDS = {"STOP", "ARRET", "ARRÊT", "STOP SMS"}


def stop_text_messages(person, *, now=None):
    """The person wants no more SMS: none is recorded or sent to them from now on."""
    YoungPerson.objects.filter(pk=person.pk, sms_stopped_at__isnull=True).update(
        sms_stopped_at=now or timezone.now()
    )


def stop_text_messages_to(phone, *, now=None):
    """STOP answered from `phone` (E.164): every structure's person with that number,
    since the reply cannot tell which structure's message it answers. Returns how many."""
    return YoungPerson.objects.filter(phone=phone, sms_stopped_at__isnull=True).update(
        sms_stopped_at=now or timezone.now()
    )


def answer_received(number, text, *, stop=False, now=None):
    """An answer to one of our SMS from `number` (as a provider writes it: "33612…",
    "+33612…"): "STOP" (or `stop`, a provider's own unsubscribe) stops every SMS to it.
    Anything else, or a number that is not one, changes nothing. Returns how many
    people it stopped."""
    if not stop and text.strip().rstrip(".!").upper() not in STOP_WORDS:
        return 0
    number = number.strip()
    if number.isdigit() and not number.startswith("0"):
        number = f"+{number}"
    try:
        phone = normalise_phone(number, accept_eu_mobiles=True)
    except InvalidContact:
        return 0
    return stop_text_messages_to(phone, now=now)


def record_report(report, *, now=None):
    """A provider's report (core.sms.Report) on one of our SMS: its answer, and whether
    it reached the phone. The first delivered or undelivered is kept (a late "sent"
    changes nothing, a replay nothing more); an id we never sent is ignored. Returns the
    delivery recorded now, or None."""
    if report.reply_from:
        answer_received(report.reply_from, report.reply, stop=report.stopped, now=now)
    if report.delivery is None or not report.message_id:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.filter(
                channel=Notification.Channel.SMS, provider_message_id=report.message_id
            )
            .select_related("booking__young_person")
            .first()
        )
        if notification is None:
            return None
        recorded = Notification.objects.filter(
            pk=notification.pk, delivery=Notification.Delivery.UNKNOWN
        ).update(delivery=report.delivery, delivery_reported_at=now)
        if not recorded:
            return None
        if report.delivery == Delivery.UNDELIVERED:
            send_sms_undelivered(notification)
    return report.delivery


def registration_text(registration, kind, link, *, position=None):
    """The SMS about a registration for a notification `kind` (a RegistrationChange), in
    the active language and time zone: one segment, the event's title dropped first
    if needed, then the first name shortened, then dropped."""
    person = registration.young_person
    when = local_when(registration.date.start)
    deadline = local_when(registration.offer_expires_at) if registration.offer_expires_at else ""

    def compose(version):
        event = f"{version.place} " if version.place else ""
        headlines = {
            RegistrationChange.CONFIRMED: _("your seat is confirmed: %(event)s%(when)s."),
            RegistrationChange.WAITING: _(
                "you are number %(position)s on the waiting list: %(event)s%(when)s."
            ),
            RegistrationChange.OFFERED: _(
                "a seat is free for you: %(event)s%(when)s. Answer by %(deadline)s:"
            ),
            RegistrationChange.EXPIRED: _(
                "too late: the seat for %(event)s%(when)s went to the next person."
            ),
            RegistrationChange.CANCELLED: _("your registration %(event)s%(when)s is cancelled."),
            RegistrationChange.MOVED: _("%(event)s has moved to %(when)s."),
            RegistrationChange.EVENT_CANCELLED: _("%(event)s%(when)s is cancelled."),
            RegistrationChange.ALREADY_REGISTERED: _(
                "you are already registered: %(event)s%(when)s. Your registration:"
            ),
        }
        headline = headlines[kind] % {
            "event": event,
            "when": when,
            "position": position,
            "deadline": deadline,
        }
        if kind == RegistrationChange.MOVED and not version.place:
            headline = _("your event has moved to %(when)s.") % {"when": when}
        greeting = f"{version.name}, {headline}" if version.name else capfirst(headline)
        signature = f" {version.structure.rstrip('.')}." if version.structure else ""
        return gsm7.normalise(f"{greeting}{signature} {link}")

    return fit(
        compose,
        Parts(
            name=person.first_name if person else "",
            place=registration.date.title,
            structure=registration.structure.name,
        ),
    )


def date_message_text(date, text, link, *, first_name=""):
    """Staff's message about `date` by SMS, in the active language and time zone: one
    segment, the event's title dropped first if needed, then the first name shortened,
    then dropped (MessageTooLong if the text is still too long)."""
    when = local_when(date.start)

    def compose(version):
        event = f"{version.place} " if version.place else ""
        headline = _("%(event)s%(when)s: %(text)s") % {"event": event, "when": when, "text": text}
        greeting = f"{version.name}, {headline}" if version.name else headline
        signature = f" {version.structure.rstrip('.')}." if version.structure else ""
        return gsm7.normalise(f"{greeting}{signature} {link}")

    return fit(compose, Parts(name=first_name, place=date.title, structure=date.structure.name))
