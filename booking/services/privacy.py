"""Young people's data: find, export and erase it on request; purge it when it is old.

What stays after a purge or an erasure names nobody and is what statistics need: each
booking's format, place, counsellor, times, status and source. The link to the person,
the person's message, the cancellation message, the address of a meeting at home and
the number to call go, and so do the short links of their text messages and the
provider's ids of those messages (the provider keeps the number under them); a person
left without bookings is deleted. Invitations (the contact they were sent to) go with
the person on erasure, and once expired before the cutoff on purge. Registrations to
event dates are kept like bookings: the link to the person goes (with their short links
and the providers' ids), their seats, status and date stay; erasing someone cancels
their registrations to come first, so their seats go to the next in line. What other
apps keep about a person's registrations (the event days' wishes and schedules) is in
the export and goes with them, through the signals `person_exported`,
`registrations_anonymised` and `structure_purged` (booking imports none of them).

Retention: each structure's (Structure.retention; when it sets none,
settings.BOOKING_RETENTION_MONTHS, default 12) after the appointment, set by its data
protection officer. The CNIL's social-sector guidance allows up to two years
after the last contact for supporting young people; bookings need less.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from booking.models import (
    Booking,
    Invitation,
    Notification,
    Registration,
    ShortLink,
    YoungPerson,
)

from . import contacts
from .bookings import cancel
from .errors import InvalidTransition
from .registrations import cancel_registration
from .signals import Actor, person_exported, registrations_anonymised, structure_purged

logger = logging.getLogger(__name__)


def find_person(structure_id, contact):
    """The person the structure knows by this e-mail address or mobile number, or None.

    Raises InvalidContact when it is neither.
    """
    contact = (contact or "").strip()
    if "@" in contact:
        return contacts.find_person(structure_id, email=contact)
    return contacts.find_person(structure_id, phone=contact)


def export_person(person):
    """Everything stored about `person`, as JSON-ready data (times in local time), with
    what other apps keep about their registrations (`person_exported`)."""
    bookings = person.bookings.select_related("format", "place", "counsellor").order_by("start")
    exported = {
        "exported_at": _iso(timezone.now()),
        "person": {
            "first_name": person.first_name,
            "email": person.email,
            "phone": person.phone,
            "preferred_channel": person.preferred_channel,
            "created_at": _iso(person.created_at),
            "text_messages_stopped_at": _iso(person.sms_stopped_at),
        },
        "bookings": [
            {
                "reference": str(booking.uuid),
                "start": _iso(booking.start),
                "end": _iso(booking.end),
                "format": booking.format.name,
                "place": booking.place.name,
                "counsellor": booking.counsellor.first_name,
                "status": booking.status,
                "status_label": str(booking.get_status_display()),
                "booked_via": booking.source,
                "message": booking.message,
                "cancellation_message": booking.cancellation_message,
                "home_address": {
                    field.removeprefix("home_"): getattr(booking, field)
                    for field in Booking.HOME_FIELDS
                },
                "number_to_call": booking.call_phone,
                "consent_given_at": _iso(booking.consent_at),
                "coming_confirmed_at": _iso(booking.attendance_confirmed_at),
                "created_at": _iso(booking.created_at),
                "updated_at": _iso(booking.updated_at),
            }
            for booking in bookings
        ],
        "registrations": [
            {
                "reference": str(registration.uuid),
                "event": registration.date.title,
                "start": _iso(registration.date.start),
                "mode": registration.pool.mode,
                "seats": registration.party_size,
                "status": registration.status,
                "status_label": str(registration.get_status_display()),
                "registered_via": registration.source,
                "register_directly_when_a_seat_frees_up": registration.auto_confirm,
                "came_without_registering": registration.walk_in,
                "offer_valid_until": _iso(registration.offer_expires_at),
                "consent_given_at": _iso(registration.consent_at),
                "created_at": _iso(registration.created_at),
                "updated_at": _iso(registration.updated_at),
            }
            for registration in person.registrations.select_related("date", "pool").order_by(
                "created_at"
            )
        ],
        "invitations": [
            {
                "sent_at": _iso(invitation.created_at),
                "counsellor": invitation.counsellor.first_name,
                "format": invitation.format.name,
                "sent_by": invitation.channel,
                "expires_at": _iso(invitation.expires_at),
                "used_at": _iso(invitation.used_at),
            }
            for invitation in invitations_of(person).select_related("counsellor", "format")
        ],
    }
    for _receiver, sections in person_exported.send(sender=YoungPerson, person=person):
        exported.update(sections)
    return exported


def invitations_of(person):
    """The invitations sent to the person's contact by their structure."""
    contacts = [contact for contact in (person.email, person.phone) if contact]
    return Invitation.objects.filter(format__structure_id=person.structure_id, contact__in=contacts)


def erase_person(person, *, now=None):
    """Erase `person` on their request; returns how many of their bookings were kept, anonymous.

    Their upcoming appointments are cancelled, so the slots are
    free again, but no e-mail goes out: the notifications, sent on commit, find nobody to
    write to. Whoever handles the request tells the person.
    """
    now = now or timezone.now()
    with transaction.atomic():
        cancelled = []
        for booking in person.bookings.filter(status=Booking.Status.CONFIRMED, start__gt=now):
            try:
                cancelled.append(cancel(booking, by=Actor.STAFF, now=now))
            except InvalidTransition:
                pass  # Cancelled or closed meanwhile: nothing left to free.
        for registration in person.registrations.filter(
            status__in=Registration.LIVE_STATUSES, date__start__gt=now
        ):
            cancel_registration(registration, by=Actor.STAFF, now=now)
        _anonymise_registrations(Registration.objects.filter(young_person=person))
        kept = _anonymise(Booking.objects.filter(young_person=person))
        invitations_of(person).delete()
        for booking in cancelled:
            booking.refresh_from_db()
        YoungPerson.objects.filter(pk=person.pk).delete()
    logger.info("Erased a young person's data on request; %d bookings kept, anonymous", kept)
    return kept


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    bookings: int
    people: int
    invitations: int = 0


def purge(structure, *, months=None, now=None, dry_run=False):
    """Anonymise the structure's bookings that ended more than `months` (its retention
    unless given) ago and delete its people left with no booking since then.
    Idempotent; `dry_run` only counts."""
    months = structure.retention if months is None else months
    if months < 1:
        raise ValueError("The retention period must be at least one month.")
    now = now or timezone.now()
    cutoff = now - relativedelta(months=months)
    personal = Q(young_person__isnull=False)
    for field in ("message", "cancellation_message", *Booking.PLACE_DETAILS):
        personal |= ~Q(**{field: ""})
    old_bookings = Booking.objects.filter(format__structure=structure, end__lt=cutoff).filter(
        personal
    )
    old_registrations = Registration.objects.filter(
        date__structure=structure, date__end__lt=cutoff, young_person__isnull=False
    )
    # Only people seen before the cutoff and with nothing since: recent bookings (and
    # registrations) keep theirs.
    old_people = (
        YoungPerson.objects.filter(structure=structure, created_at__lt=cutoff)
        .exclude(bookings__end__gte=cutoff)
        .exclude(registrations__date__end__gte=cutoff)
    )
    old_invitations = Invitation.objects.filter(format__structure=structure, expires_at__lt=cutoff)
    with transaction.atomic():
        if dry_run:
            return PurgeResult(
                cutoff, old_bookings.count(), old_people.count(), old_invitations.count()
            )
        people_ids = list(old_people.values_list("pk", flat=True))
        bookings = _anonymise(old_bookings)
        _anonymise_registrations(old_registrations)
        people, _by_model = YoungPerson.objects.filter(
            pk__in=people_ids, bookings__isnull=True, registrations__isnull=True
        ).delete()
        # Their messages go with them, and are not invitations.
        _deleted, by_model = old_invitations.delete()
        invitations = by_model.get(Invitation._meta.label, 0)
        structure_purged.send(sender=YoungPerson, structure=structure, cutoff=cutoff)
    logger.info(
        "Purged booking data of structure %s older than %s: %d bookings, %d people, %d invitations",
        structure.pk,
        cutoff,
        bookings,
        people,
        invitations,
    )
    return PurgeResult(cutoff, bookings, people, invitations)


def _anonymise(bookings):
    """Failed messages' errors may quote the address or the number, and a provider's
    message id finds the number at the provider, so they go too; and the short links,
    which would open the booking."""
    Notification.objects.filter(booking__in=bookings).filter(
        ~Q(last_error="") | ~Q(provider_message_id="")
    ).update(last_error="", provider_message_id="")
    ShortLink.objects.filter(booking__in=bookings).delete()
    return bookings.update(
        young_person=None,
        message="",
        cancellation_message="",
        **dict.fromkeys(Booking.PLACE_DETAILS, ""),
    )


def _anonymise_registrations(registrations):
    registrations_anonymised.send(sender=Registration, registrations=registrations)
    Notification.objects.filter(registration__in=registrations).filter(
        ~Q(last_error="") | ~Q(provider_message_id="")
    ).update(last_error="", provider_message_id="")
    ShortLink.objects.filter(registration__in=registrations).delete()
    return registrations.update(young_person=None)


def _iso(moment):
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_current_timezone()).isoformat()
