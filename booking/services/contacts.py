"""What a person gives when booking, checked once for every channel (website, API,
staff): a first name, an e-mail address, a mobile number or both, normalised so the same
person booking again is recognised (lower-case e-mail, E.164 number), where they want to
be told, and the address of a meeting at home; and whether a meeting is their first
(`met_before`)."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneNumberType

from booking.models import Booking, Format, Place, YoungPerson
from booking.models.bookings import (
    HOME_ACCESS_MAX_LENGTH,
    HOME_STREET_MAX_LENGTH,
    HOME_TOWN_MAX_LENGTH,
)

from .errors import InvalidContact, InvalidDetails

FIRST_NAME_MAX_LENGTH = YoungPerson._meta.get_field("first_name").max_length
EMAIL_MAX_LENGTH = YoungPerson._meta.get_field("email").max_length

E164 = phonenumbers.PhoneNumberFormat.E164
# France and the overseas departments share one ten-digit plan: "0692…" is dialled so
# from Lens as from Saint-Denis. Then the other overseas regions, as phonenumbers names
# them (BL and MF share Guadeloupe's +590, Mayotte La Réunion's +262).
TEN_DIGIT_REGIONS = ("FR", "RE", "YT", "GP", "MQ", "GF")
FRENCH_REGIONS = (*TEN_DIGIT_REGIONS, "PM", "BL", "MF", "NC", "PF", "WF")
FRENCH_COUNTRY_CODES = {phonenumbers.country_code_for_region(r) for r in FRENCH_REGIONS}
TEN_DIGIT_PLAN = {phonenumbers.country_code_for_region(r) for r in TEN_DIGIT_REGIONS}
EU_REGIONS = {
    *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE"),
    *("IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
}
# Where the library cannot tell a mobile from a landline (none in France), it may be one.
MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
# What people write in a number; the library would also read letters ("0800 FLOWERS").
PHONE_CHARACTERS = re.compile(r"[\d\s+()./-]{1,40}")
# A person with a booking in one of these has met the structure, or will.
BOOKED_STATUSES = (Booking.Status.CONFIRMED, Booking.Status.ATTENDED)
Channel = YoungPerson.Channel
# French postcodes, overseas included (971–976, 986–988): five digits.
POSTCODE = re.compile(r"\d{5}")


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


def normalise_phone(raw, *, region="FR", accept_eu_mobiles=False):
    """A mobile number in E.164, where an SMS can be sent: +33612345678, +262692123456.

    Without a country code, the number is read as the structure's `region` writes it,
    else as France and its overseas regions share one ten-digit plan: "0692 12 34 56"
    typed in Lens is La Réunion's +262 692 12 34 56, not +33 692…, which does not exist.
    When two regions would each read it differently (six digits: Saint-Pierre or
    Nouméa?), the person is asked for the country code rather than us guessing. Mobiles
    of the other EU countries are kept only where `accept_eu_mobiles`; landlines never.
    Both are the structure's (Structure.phone_region, accept_eu_mobiles)."""
    number = _read_phone(raw.strip(), region)
    if number.country_code not in FRENCH_COUNTRY_CODES and not (
        accept_eu_mobiles and phonenumbers.region_code_for_number(number) in EU_REGIONS
    ):
        raise InvalidContact(
            _("Only French mobile numbers, from France or overseas, are accepted here."),
            field="phone",
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise InvalidContact(
            _(
                "This looks like a landline number. Please give a mobile number: "
                "it is the one we can send text messages to."
            ),
            field="phone",
        )
    return phonenumbers.format_number(number, E164)


def _read_phone(text, region):
    """The valid number `text` stands for, read in `region`, else in every French region."""
    if PHONE_CHARACTERS.fullmatch(text):
        for regions in ((region,), FRENCH_REGIONS):
            readings = {}
            for candidate in regions:
                try:
                    number = phonenumbers.parse(text, candidate)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(number):
                    readings[phonenumbers.format_number(number, E164)] = number
            if len(readings) == 1:
                return next(iter(readings.values()))
            if readings:
                raise InvalidContact(
                    _("Please write this number with its country code, e.g. +687 75 12 34."),
                    field="phone",
                )
    raise InvalidContact(
        _("This does not look like a mobile number. Please check it, e.g. 06 12 34 56 78."),
        field="phone",
    )


def display_contact(person):
    """How staff see the ways to reach `person`: their address, their number dialled, or
    both, the one they chose first."""
    contacts = [person.email, display_phone(person.phone)]
    if person.preferred_channel == Channel.SMS:
        contacts.reverse()
    return " · ".join(contact for contact in contacts if contact)


def display_phone(number):
    """A stored E.164 number as people dial it from France: "06 12 34 56 78", and
    "0692 12 34 56" too (one plan with the overseas departments), else "+32 470 12 34 56"."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return number
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code in TEN_DIGIT_PLAN
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


def normalise_contact(email="", phone="", **phone_rules):
    """(email, phone), each normalised or "", at least one of them given (`phone_rules`:
    those of `normalise_phone`)."""
    email, phone = (email or "").strip(), (phone or "").strip()
    if not email and not phone:
        raise InvalidContact(
            _("Please give an e-mail address or a mobile number so we can reach you."),
            field="email",
        )
    return (
        normalise_email(email) if email else "",
        normalise_phone(phone, **phone_rules) if phone else "",
    )


def choose_channel(channel, *, email, phone):
    """Where to tell the person: the contact they gave, or the one they chose of both."""
    if not (email and phone):
        return Channel.EMAIL if email else Channel.SMS
    if channel not in Channel.values:
        raise InvalidDetails(
            _("You gave both: please choose how we should let you know."),
            field="preferred_channel",
        )
    return channel


def find_person(structure_id, *, email="", phone=""):
    """The person the structure knows by this contact, or None (for "find my
    appointments" and staff's personal-data requests): another structure's people are
    not its own. Any EU mobile is looked for: one stored while the structure accepted
    them still belongs to someone who may ask what we keep."""
    email, phone = normalise_contact(email, phone, accept_eu_mobiles=True)
    contact = {"email": email} if email else {"phone": phone}
    return YoungPerson.objects.filter(structure_id=structure_id, **contact).first()


def find_or_create_person(
    structure_id, *, first_name, email="", phone="", channel="", first_meeting_at=None, **rules
):
    """The structure's person with these contacts, created if new, with `has_met`
    (`met_before(first_meeting_at)`, without another query) and `preferred_channel` as
    this request chose (`choose_channel`).

    A known person keeps their first name: nobody can rename someone else just by
    knowing their address. Pages answering the person booking show the name typed,
    never this one: nobody learns someone else's first name by typing their address
    either.

    Nobody proves a contact is theirs, so a request never adds a contact to a known
    person, nor moves one from a person to another: that would let anyone join their
    number to someone else's address and be told of that person's appointments. With
    both contacts given, the person is:
    - the one known by both, else
    - a new person with both, when neither is known, else
    - the one known by the e-mail address, where the answers go (`history_decides`),
      or a new person with that address alone when it is new: the number, which is
      someone else's or missing from that person, is not kept.
    So someone who gave their address last time and both now is found by the address
    and told by e-mail; a number given for a meeting by phone is kept on that booking
    all the same (`Booking.call_phone`).

    With one contact: an INSERT that skips an existing contact (ON CONFLICT DO NOTHING),
    then one read: two queries whether the person is new or not, and no savepoint, since
    two first bookings with the same address at once cannot fail on the unique contact.
    With both, a read first, then the same two when someone is new."""
    first_name = clean_first_name(first_name)
    email, phone = normalise_contact(email, phone, **rules)
    channel = choose_channel(channel, email=email, phone=phone)
    known = YoungPerson.objects.filter(structure_id=structure_id).annotate(
        has_met=Exists(
            met_before(first_meeting_at).filter(
                young_person=OuterRef("pk"), format__structure_id=OuterRef("structure_id")
            )
        )
    )
    person, new = None, {"email": email, "phone": phone}
    if email and phone:
        people = list(known.filter(Q(email=email) | Q(phone=phone)))
        person = _by_both_else_by_email(people, email, phone)
        if any(other.phone == phone for other in people):
            new["phone"] = ""
    if person is None:
        YoungPerson.objects.bulk_create(
            [
                YoungPerson(
                    structure_id=structure_id,
                    first_name=first_name,
                    preferred_channel=channel if new["phone"] else Channel.EMAIL,
                    **new,
                )
            ],
            ignore_conflicts=True,
        )
        person = known.get(**({"email": email} if email else {"phone": phone}))
    if channel == Channel.SMS and person.phone != phone:
        channel = Channel.EMAIL  # found by the address: the number given is not theirs
    if person.preferred_channel != channel:
        YoungPerson.objects.filter(pk=person.pk).update(preferred_channel=channel)
        person.preferred_channel = channel
    return person


def _by_both_else_by_email(people, email, phone):
    """Of `people`, the one known by both contacts, else by the e-mail address, else None."""
    by_email = [person for person in people if person.email == email]
    exact = [person for person in by_email if person.phone == phone]
    return (exact or by_email or [None])[0]


def met_before(moment=None):
    """The bookings by which a person has met their structure before `moment`: attended,
    or confirmed, and starting strictly earlier (at any time when `moment` is None).

    A meeting is a first meeting when the person has none of these in that structure,
    whichever counsellor they saw: a later booking, a cancelled one or one with another
    structure of the network does not count. A first meeting never takes place at home
    (`Place.suits_first_meeting`); formats may be for first meetings or follow-ups only."""
    bookings = Booking.objects.filter(status__in=BOOKED_STATUSES)
    return bookings if moment is None else bookings.filter(start__lt=moment)


def home_visits_coming_first(bookings, now):
    """Those of `bookings` still to come and confirmed at home while their person has
    not met the structure before them (`met_before`): left first when an earlier
    meeting was cancelled, which cancels nothing else. Staff move or cancel each
    (booking.staff.clashes). One query, with what a listing of them shows."""
    earlier = met_before(OuterRef("start")).filter(
        young_person=OuterRef("young_person"), format__structure=OuterRef("format__structure")
    )
    return (
        bookings.filter(
            status=Booking.Status.CONFIRMED,
            end__gt=now,
            place__kind=Place.Kind.HOME,
            young_person__isnull=False,
        )
        .exclude(Exists(earlier))
        .select_related("counsellor", "format", "place", "young_person")
        .order_by("start")
    )


def is_first_meeting(person):
    """True when `person` has never met their structure (`met_before`)."""
    if person.pk is None:
        return True
    return (
        not met_before()
        .filter(young_person=person, format__structure_id=person.structure_id)
        .exists()
    )


def normalise_postcode(raw):
    """A French postcode, overseas included: five digits ("62 300" is 62300)."""
    postcode = raw.replace(" ", "")
    if not POSTCODE.fullmatch(postcode):
        raise InvalidDetails(_("A postcode has five digits, e.g. 62300."), field="home_postcode")
    return postcode


def clean_home_address(place, address):
    """The address of a meeting at `place`, as stored on the booking: the street,
    postcode and town, and optional access notes, of a meeting at home; nothing for a
    place of ours. Raises InvalidDetails on the field (`home_street`…) to correct."""
    if place.kind != Place.Kind.HOME:
        return dict.fromkeys(Booking.HOME_FIELDS, "")
    address = {field: (address or {}).get(field, "") or "" for field in Booking.HOME_FIELDS}
    address = {field: " ".join(value.split()) for field, value in address.items()}
    for field, value in address.items():
        refuse_null_characters(value, field=field)
    checks = (
        ("home_street", HOME_STREET_MAX_LENGTH, _("Please give your street and number.")),
        ("home_postcode", None, _("Please give your postcode.")),
        ("home_town", HOME_TOWN_MAX_LENGTH, _("Please give your town.")),
    )
    for field, max_length, missing in checks:
        if not address[field]:
            raise InvalidDetails(missing, field=field)
        if max_length and len(address[field]) > max_length:
            raise InvalidDetails(_("This is too long."), field=field)
    address["home_postcode"] = normalise_postcode(address["home_postcode"])
    if len(address["home_access"]) > HOME_ACCESS_MAX_LENGTH:
        raise InvalidDetails(
            _("Please keep these notes under 300 characters."), field="home_access"
        )
    return address


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
    """A meeting by phone needs a mobile number to call."""
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
    alone (a refusal is never sent by SMS, which has no room to explain it): it is
    answered on the page, the one case where the answer can still tell whether that
    number has booked before."""
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
