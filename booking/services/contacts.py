"""What a person gives when booking, checked once for every channel (website, API,
staff): a first name, and one contact normalised so the same person booking again is
recognised (lower-case e-mail, or a French mobile number in E.164)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from booking.models import Booking, Format, Place, YoungPerson

from .errors import InvalidContact, InvalidDetails

FIRST_NAME_MAX_LENGTH = YoungPerson._meta.get_field("first_name").max_length
EMAIL_MAX_LENGTH = YoungPerson._meta.get_field("email").max_length

# A person with a booking in one of these has met the structure, or will.
BOOKED_STATUSES = (Booking.Status.CONFIRMED, Booking.Status.ATTENDED)

FRENCH_MOBILE = re.compile(r"^(?:\+33|0033|0)([67]\d{8})$")


def normalise_email(raw):
    email = raw.strip().lower()
    try:
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise InvalidContact(
            _("This e-mail address does not look right. Please check it."), field="email"
        ) from None
    return email


def normalise_phone(raw):
    """French mobile numbers (06/07, +33 6/7, 0033 6/7) in E.164: +33612345678."""
    compact = re.sub(r"[\s.\-/]", "", raw.strip()).replace("(0)", "")
    match = FRENCH_MOBILE.match(compact)
    if not match:
        raise InvalidContact(
            _("Please give a French mobile number, starting with 06 or 07."), field="phone"
        )
    return "+33" + match.group(1)


def normalise_contact(email="", phone=""):
    """(email, phone) with exactly one of them set and normalised."""
    email, phone = (email or "").strip(), (phone or "").strip()
    if email and phone:
        raise InvalidContact(
            _("Please give either an e-mail address or a mobile number, not both."),
            field="email",
        )
    if not email and not phone:
        raise InvalidContact(
            _("Please give an e-mail address or a mobile number so we can reach you."),
            field="email",
        )
    return (normalise_email(email), "") if email else ("", normalise_phone(phone))


def find_person(*, email="", phone=""):
    """The person known by this contact, or None (for "find my appointments")."""
    email, phone = normalise_contact(email, phone)
    contact = {"email": email} if email else {"phone": phone}
    return YoungPerson.objects.filter(**contact).first()


def find_or_create_person(*, first_name, email="", phone=""):
    """The person with this contact, created if new, with `has_booked` (whether they
    have a confirmed or attended booking: `is_first_meeting` without another query).

    A known person keeps their first name: nobody can rename someone else just by
    knowing their address. Pages answering the person booking show the name typed,
    never this one: nobody learns someone else's first name by typing their address
    either.

    An INSERT that skips an existing contact (ON CONFLICT DO NOTHING), then one read: two
    queries whether the person is new or not, and no savepoint, since two first bookings
    with the same address at once cannot fail on the unique contact."""
    first_name = clean_first_name(first_name)
    email, phone = normalise_contact(email, phone)
    YoungPerson.objects.bulk_create(
        [YoungPerson(first_name=first_name, email=email, phone=phone)], ignore_conflicts=True
    )
    contact = {"email": email} if email else {"phone": phone}
    return YoungPerson.objects.annotate(
        has_booked=Exists(
            Booking.objects.filter(young_person=OuterRef("pk"), status__in=BOOKED_STATUSES)
        )
    ).get(**contact)


def is_first_meeting(person, *, exclude=None):
    """True when the person has no confirmed or attended booking (other than `exclude`)."""
    if person.pk is None:
        return True
    previous = person.bookings.filter(status__in=BOOKED_STATUSES)
    if exclude is not None:
        previous = previous.exclude(pk=exclude.pk)
    return not previous.exists()


def clean_first_name(first_name):
    first_name = (first_name or "").strip()
    if not first_name:
        raise InvalidDetails(_("Please tell us your first name."), field="first_name")
    if len(first_name) > FIRST_NAME_MAX_LENGTH:
        raise InvalidDetails(_("This first name is too long."), field="first_name")
    refuse_null_characters(first_name, field="first_name")
    return first_name


def refuse_null_characters(text, *, field):
    """NUL cannot be stored by PostgreSQL and is never typed by a person."""
    if "\x00" in text:
        raise InvalidDetails(
            _("Please remove the invisible characters from this field."), field=field
        )


def check_reachable(place, *, phone):
    """A meeting by phone needs the person's mobile number."""
    if place.kind == Place.Kind.PHONE and not phone:
        raise InvalidDetails(
            _("For a meeting by phone, please give your mobile number."), field="phone"
        )


def history_decides(target):
    """Whether the contact's past bookings can decide if booking `target` (the arguments
    of `book` that say what is booked) is refused: a format for first meetings or for
    follow-ups only, a place where a first meeting never happens (home), a group
    session (one seat each).

    For these, answering "refused" on the page would tell anyone who types an address
    or a number whether that person has booked before (or holds a seat in that
    session). So the public channels answer every such request the same way, and only
    the contact learns the outcome: the confirmation e-mail, or a refusal e-mail with
    what they can book instead. The rule itself is unchanged."""
    if target.get("group_session") is not None:
        return True
    return target["format"].meeting_stage != Format.MeetingStage.ANY or (
        not target["place"].suits_first_meeting
    )


def answered_by_email(target, *, email):
    """Whether the outcome of booking `target` is told only by e-mail (`history_decides`),
    which needs an address to write to. A meeting by phone may be booked with the number
    alone (there is no SMS gateway): it is answered on the page, the one case where the
    answer can still tell whether that number has booked before."""
    return bool(email) and history_decides(target)


def needs_email(target):
    """Whether booking `target` needs an e-mail address to send the answer to: what
    `history_decides`, except a meeting by phone, and a first-meeting format in a place
    fit for one, where without an address the history is not asked
    (`bookings._counts_as_first_meeting`), so the page's answer tells nothing about it."""
    if not history_decides(target):
        return False
    session = target.get("group_session")
    place = session.place if session is not None else target["place"]
    first_meeting_format = (
        session is None
        and target["format"].meeting_stage == Format.MeetingStage.FIRST
        and place.suits_first_meeting
    )
    return place.kind != Place.Kind.PHONE and not first_meeting_format


def check_answerable(target, *, email):
    if not email and needs_email(target):
        raise InvalidDetails(
            _("For this appointment, we send our answer by e-mail: please give your address."),
            field="email",
        )
