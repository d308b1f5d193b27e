"""A small JSON API for partner sites and apps: who can be met, how, when, and booking.

Mounted at /api/v1/ (config/api.py); the OpenAPI description is /api/v1/openapi.json,
and its pages /api/v1/docs. No accounts and no cookies, so no CSRF token either: a
booking POST obeys the same rules as the website's form (booking.services), and its
body must be JSON.

Partner sites may send a key, `Authorization: Bearer <key>`, given by the structure
(`python manage.py create_api_key`). Without one, failed bookings are counted against
the address, together with the website's; with one, against the key, under its own
higher ceiling (bookings made are never counted). A key that is not valid, or was
revoked, gets 401. A partner may cancel and move the bookings made with its key:
`POST /bookings/{reference}/cancel` and `/move`; any other booking is 404.

A booking made answers 201 with the appointment and its manage link. When the person’s past
bookings decide whether they may book (a format for first meetings or follow-ups only,
a place at home, a group session), the answer is 202 whatever happens, and the person
learns the outcome by e-mail (so such a booking needs an e-mail address, except by
phone): nobody learns from the API whether an address has booked before.

Events: `GET /events` lists every date to come of the structure's events that take
registrations, with each mode's capacity and seats left, and `POST /registrations`
registers for one (its `event` id and `date` key): 201 with the seat confirmed, 202 on
the waiting list with its position, 409 when neither can be. Given an e-mail address,
a registration made answers 202 `{"detail": ...}` whatever happened, and the person
learns the outcome by their messages: nobody learns from the API whether an address
was already registered.

Errors: 422 `{"errors": {"field": ["message"]}}` for anything wrong in the request,
409 `{"detail": "message"}` when the time was just taken, the booking is already
cancelled or over, or a person giving a number alone already holds as many
appointments to come as the structure allows (3 unless set otherwise), 415 for a body
that is not JSON (`Content-Type: application/json`), 401 for a bad key, 429 over the
limit (with `Retry-After`); messages are in French.
Everything is the structure's whose site is asked (its counsellors, formats, places and
bookings). Times are ISO 8601; a time without an offset is that structure's wall clock
(Paris time in Lens, UTC+4 in La Réunion), and times are returned in it, with their
offset.
"""

from datetime import date, datetime, timedelta
from functools import wraps
from uuid import UUID

from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Status
from ninja.errors import HttpError

from booking import services
from booking.models import Booking, Counsellor, Format, GroupSession, Place, Registration
from booking.scheduling.listing import KEPT_SECONDS
from booking.scheduling.loading import find_slots
from booking.scheduling.slots import merge_counsellors
from booking.services import registrations
from booking.services.contacts import answered_by_email, check_answerable
from booking.services.limits import BookingAttempt
from booking.services.tokens import make_registration_token, make_token
from core import pagecache, sites
from core.dates import local_midnight
from core.ratelimit import client_address

from .auth import KEY_NEEDED, BadKey, PartnerKey, key_of
from .errors import FIELD_HINTS, field_error
from .schemas import (
    ANY,
    MAX_RANGE_DAYS,
    BookingIn,
    BookingOut,
    CounsellorOut,
    Detail,
    Errors,
    EventDateOut,
    FormatOut,
    MoveIn,
    RegistrationIn,
    RegistrationOut,
    SlotOut,
    SlotQuery,
)

router = Router(tags=["rendez-vous"], auth=PartnerKey())

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def json_bodies_only(run):
    """Browsers send text/plain, form and multipart bodies to any site without asking it
    first (no CORS preflight), so reading them would let any web page make its visitors
    book. A JSON body needs a preflight, which no other site passes: only JSON is read."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS and request.content_type != "application/json":
            return JsonResponse(
                {"detail": _("Send the request body as JSON (Content-Type: application/json).")},
                status=415,
            )
        return run(request, *args, **kwargs)

    return wrapped


# "view" mode: before ninja reads the body.
router.add_decorator(json_bodies_only, mode="view")

# The API's name for a refusal's field (services.errors), where it differs.
API_FIELDS = {"slot": "start", "occurrence": "date"}

# The answer to every request whose outcome only the contact learns, by e-mail.
REQUEST_RECEIVED = gettext_lazy(
    "Request received. The answer goes by e-mail to the address given: the confirmation, "
    "with the link to move or cancel, or why it cannot be booked and what can be instead."
)


REGISTRATION_RECEIVED = gettext_lazy(
    "Request received. The answer goes to the person's messages: the seat confirmed or "
    "their place on the waiting list, or, if they were already registered, the link to "
    "their registration."
)


# Dates outside this range are refused before any arithmetic can overflow.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


# Reading ----------------------------------------------------------------------------


@router.get("/counsellors", response=list[CounsellorOut], summary="Counsellors one can book")
def counsellors(request):
    structure = request.structure
    found = Counsellor.objects.bookable(structure).with_profile_pages()
    offered = Format.objects.filter(active=True, structure=structure)
    found = found.prefetch_related(Prefetch("formats", queryset=offered))
    return [
        {
            "slug": counsellor.slug,
            "first_name": counsellor.first_name,
            "formats": [fmt.slug for fmt in counsellor.formats.all()],
            "profile_url": counsellor.profile_page.get_full_url(request)
            if counsellor.profile_page
            else None,
        }
        for counsellor in found
    ]


@router.get("/formats", response=list[FormatOut], summary="Ways to meet")
def formats(request):
    return Format.objects.filter(active=True, structure=request.structure)


@router.get("/slots", response=list[SlotOut], summary="Free times")
def slots(request, query: Query[SlotQuery]):
    """Free times from `start` to `end` (both included, Paris days), at most 31 days.
    With `counsellor=any` (the default), one slot per time, format and place whoever is
    free, as the website's "first available"."""
    first = query.start or timezone.localdate()
    _check_day("start", first)  # before adding days to it can overflow
    last = query.end or first + timedelta(days=6)
    _check_range(first, last)
    structure = request.structure
    fmt = _format(structure, query.format) if query.format else None
    counsellor = None if query.counsellor == ANY else _counsellor(structure, query.counsellor)

    def build():
        found = find_slots(
            structure,
            start=local_midnight(first),
            end=local_midnight(last + timedelta(days=1)),
            counsellors=[counsellor] if counsellor else None,
            formats=[fmt] if fmt else None,
        )
        if counsellor is None:
            found = merge_counsellors(found)
        return [_slot_out(slot) for slot in found]

    # Kept a minute under the site's version, like the website's slot step.
    name = f"api-slots:{first}:{last}:{fmt.pk if fmt else ''}:{counsellor.pk if counsellor else ''}"
    return pagecache.for_site(sites.find_for_request(request), name, build, KEPT_SECONDS)


def _check_day(name, day):
    if not EARLIEST <= day <= LATEST:
        raise field_error(name, _("This date is out of range."))


def _check_range(first, last):
    _check_day("end", last)
    if last < first:
        raise field_error("end", _("The end must not come before the start."))
    if (last - first).days >= MAX_RANGE_DAYS:
        raise field_error("end", _("Ask for %(days)s days at most.") % {"days": MAX_RANGE_DAYS})


def _slot_out(slot):
    local_tz = timezone.get_current_timezone()
    return {
        "start": slot.start.astimezone(local_tz),
        "end": slot.end.astimezone(local_tz),
        "counsellor": slot.counsellor.slug if slot.counsellor else None,
        "format": slot.format.slug,
        "place": {"id": slot.place.id, "name": slot.place.name, "kind": slot.place.kind},
        "seats_left": slot.seats_left,
    }


# Booking ----------------------------------------------------------------------------


@router.post(
    "/bookings",
    response={
        201: BookingOut,
        202: Detail,
        401: Detail,
        409: Detail,
        415: Detail,
        422: Errors,
        429: Detail,
    },
    summary="Book a free time",
)
def book(request, payload: BookingIn):
    """201 with the booking, or 202 when the answer goes to the person by e-mail: for a
    format for first meetings or follow-ups only, a place at home or a group session,
    whether the person may book depends on their past bookings, which nobody else may
    learn; so every such request gets the same 202, and the person the confirmation
    (with the manage link) or the refusal (with what they can book instead). So does a
    person with an e-mail address who already holds as many appointments to come as
    the structure allows."""
    structure = request.structure
    attempt = _attempt(request)
    wait = attempt.start()
    if wait:
        return _too_many(wait)
    fmt = _format(structure, payload.format)
    counsellor = None if payload.counsellor == ANY else _counsellor(structure, payload.counsellor)
    place = Place.objects.filter(pk=payload.place, active=True, structure=structure).first()
    if place is None:
        raise field_error("place", _("There is no such place."))
    start = _parse_start(payload.start)
    details = {
        "first_name": payload.first_name,
        "email": payload.email,
        "phone": payload.phone,
        "preferred_channel": payload.preferred_channel,
        "home_address": {name: getattr(payload, name) for name in Booking.HOME_FIELDS},
        "message": payload.message,
        "consent": payload.consent,
    }
    target = {"format": fmt, "start": start, "place": place, "counsellor": counsellor}
    if fmt.is_group:
        target = {"group_session": _group_session(fmt, start, place, counsellor)}
    wait = attempt.slot_wait(target)
    if wait:
        return _too_many(wait)
    try:
        email, _phone = services.normalise_contact(
            payload.email, payload.phone, **structure.phone_rules
        )
        check_answerable(target, email=email)
    except services.InvalidDetails as error:
        raise _request_error(error) from None
    arguments = {
        **details,
        **target,
        "structure": structure,
        "source": Booking.Source.API,
        "api_key": key_of(request),
        "again_url": lambda error: structure.public_url + reverse("booking:flow"),
    }
    if answered_by_email(target, email=email):
        return _book_answered_by_email(arguments)
    try:
        booking = services.book_told_on_the_page(**arguments)
    except (services.SlotTaken, services.AlreadyBooked, services.TooManyBookings) as error:
        attempt.refused(error, target)
        return Status(409, {"detail": str(error.message)})
    except services.BookingError as error:
        attempt.refused(error, target)
        raise _request_error(error) from None
    if booking is None:  # over the limit of appointments to come, told by e-mail
        return Status(202, {"detail": str(REQUEST_RECEIVED)})
    attempt.booked()
    return Status(201, _booking_out(booking, structure))


def _attempt(request):
    """Counted against the request's key, or its address (with the website's)."""
    key = key_of(request)
    if key is None:
        return BookingAttempt(request.structure, client_address(request))
    return BookingAttempt(request.structure, f"key:{key.pk}", per_key=True)


def _too_many(wait):
    response = JsonResponse(
        {"detail": _("Too many failed attempts. Please try again later.")}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _book_answered_by_email(arguments):
    """202, the same whatever the outcome, when the contact's past bookings can decide it
    (see `services.contacts.history_decides`): only the contact learns it, by e-mail. It
    stays counted against the client, whose count must not tell which (services.limits)."""
    try:
        services.book_answered_by_email(**arguments)
    except services.InvalidDetails as error:
        raise _request_error(error) from None
    return Status(202, {"detail": str(REQUEST_RECEIVED)})


# A partner's own bookings ------------------------------------------------------------

CHANGE_RESPONSES = {
    200: BookingOut,
    401: Detail,
    404: Detail,
    409: Detail,
    422: Errors,
    429: Detail,
}


@router.post(
    "/bookings/{reference}/cancel",
    response=CHANGE_RESPONSES,
    summary="Cancel a booking made with this key",
)
def cancel(request, reference: str):
    """Frees the time at once; the person is told as if they had cancelled it. Only
    before the appointment starts."""
    attempt = _keyed_attempt(request)
    wait = attempt.start()
    if wait:
        return _too_many(wait)
    booking = _own_booking(request, reference)
    try:
        booking = services.cancel(booking, by=services.Actor.PERSON)
    except services.InvalidTransition as error:
        return Status(409, {"detail": str(error.message)})
    attempt.booked()
    return Status(200, _booking_out(booking, request.structure))


@router.post(
    "/bookings/{reference}/move",
    response=CHANGE_RESPONSES,
    summary="Move a booking made with this key",
)
def move(request, reference: str, payload: MoveIn):
    """To another free time of the same format (and another place or counsellor, if
    given); a seat in a group session, to another session of its format at `start`. The
    reference stays the same, and so does the manage link."""
    attempt = _keyed_attempt(request)
    wait = attempt.start()
    if wait:
        return _too_many(wait)
    booking = _own_booking(request, reference)
    structure = request.structure
    start = _parse_start(payload.start)
    place = booking.place
    if payload.place is not None:
        place = Place.objects.filter(pk=payload.place, active=True, structure=structure).first()
        if place is None:
            raise field_error("place", _("There is no such place."))
    counsellor = _counsellor(structure, payload.counsellor) if payload.counsellor else None
    if booking.group_session_id:
        target = {"group_session": _group_session(booking.format, start, place, counsellor)}
    else:
        target = {"start": start, "place": place, "counsellor": counsellor}
    try:
        booking = services.move(booking, by=services.Actor.PERSON, **target)
    except services.SlotTaken as error:
        attempt.refused(error, {"format": booking.format, "start": start, "place": place})
        return Status(409, {"detail": str(error.message)})
    except (services.InvalidTransition, services.AlreadyBooked) as error:
        return Status(409, {"detail": str(error.message)})
    except services.BookingError as error:
        raise _request_error(error) from None
    attempt.booked()
    return Status(200, _booking_out(booking, structure))


def _keyed_attempt(request):
    """Changing a booking needs the key it was made with: 401 without one."""
    if key_of(request) is None:
        raise BadKey(KEY_NEEDED)
    return _attempt(request)


def _own_booking(request, reference):
    """The booking made with the request's key; 404 for any other (another key's, the
    website's): nothing tells that it exists."""
    try:
        uuid = UUID(reference)
    except ValueError:
        uuid = None
    booking = (
        Booking.objects.filter(
            uuid=uuid, api_key=key_of(request), format__structure=request.structure
        ).first()
        if uuid
        else None
    )
    if booking is None:
        raise HttpError(404, _("There is no booking with this reference made with this key."))
    return booking


def _request_error(error):
    return field_error(API_FIELDS.get(error.field, error.field), error.message)


def _booking_out(booking, structure):
    """Times in the booking's structure's zone, links on its site."""
    token = make_token(booking)
    local_tz = structure.zone
    return {
        "reference": str(booking.uuid),
        "status": booking.status,
        "start": booking.start.astimezone(local_tz),
        "end": booking.end.astimezone(local_tz),
        "counsellor": booking.counsellor.slug,
        "format": booking.format.slug,
        "place": {"id": booking.place.id, "name": booking.place.name, "kind": booking.place.kind},
        "manage_url": structure.public_url + reverse("booking:manage", args=[token]),
        "ics_url": structure.public_url + reverse("booking:calendar", args=[token]),
    }


# Lookups ----------------------------------------------------------------------------


def _format(structure, slug):
    fmt = Format.objects.filter(slug=slug, active=True, structure=structure).first()
    if fmt is None:
        raise field_error("format", _("There is no such meeting format."))
    return fmt


def _counsellor(structure, slug):
    counsellor = Counsellor.objects.filter(slug=slug, active=True, structures=structure).first()
    if counsellor is None:
        raise field_error("counsellor", _("There is no such counsellor."))
    return counsellor


def _parse_start(text):
    """An aware datetime; a naive one is the structure's wall clock (its request's zone)."""
    try:
        start = datetime.fromisoformat(text.strip())
    except ValueError:
        raise field_error("start", FIELD_HINTS["start"]) from None
    if not EARLIEST <= start.date() <= LATEST:
        raise field_error("start", _("This date is out of range."))
    if timezone.is_naive(start):
        start = timezone.make_aware(start, timezone.get_current_timezone())
    return start


def _group_session(fmt, start, place, counsellor):
    sessions = GroupSession.objects.filter(format=fmt, place=place, start=start).select_related(
        "format", "place"
    )
    if counsellor is not None:
        sessions = sessions.filter(counsellor=counsellor)
    session = sessions.order_by("-capacity").first()
    if session is None:
        raise field_error(
            "start",
            services.SlotUnavailable.message_for(services.SlotUnavailable.OUTSIDE_AVAILABILITY),
        )
    return session


# Events and registrations ----------------------------------------------------------


@router.get("/events", response=list[EventDateOut], summary="Event dates one can register for")
def events(request):
    """Every date to come of the structure's events that take registrations, soonest
    first, with each mode's seats: the same figures as the event page."""
    now = timezone.now()
    listed = [
        (event, list(event.upcoming_registration_occurrences(now).values()))
        for event in registrations.open_events(request.structure.site.root_page)
    ]
    local_tz = request.structure.zone
    dates = [
        {
            "event": event.pk,
            "date": date_seats.key,
            "title": event.title,
            "start": date_seats.occurrence.start.astimezone(local_tz),
            "end": date_seats.occurrence.end.astimezone(local_tz),
            "url": event.get_full_url(request),
            "party_size_max": event.party_size_max,
            "modes": [
                {
                    "mode": mode.mode,
                    "capacity": mode.capacity,
                    "seats_left": mode.left,
                    "full": mode.full,
                    "waiting_list": mode.waiting_list,
                }
                for mode in date_seats.modes
            ],
        }
        for (event, _dates), found in zip(
            listed, registrations.seats_of_events(listed, now=now), strict=True
        )
        for date_seats in found
    ]
    return sorted(dates, key=lambda date: (date["start"], date["title"]))


@router.post(
    "/registrations",
    response={
        201: RegistrationOut,
        202: RegistrationOut | Detail,
        401: Detail,
        409: Detail,
        415: Detail,
        422: Errors,
        429: Detail,
    },
    summary="Register for an event date",
)
def register(request, payload: RegistrationIn):
    """201 with the seat confirmed, 202 on the waiting list with its position, 409 when
    neither can be (the date is full and starts too soon for a waiting list, or the
    person is already registered): the website's rules (services.registrations).
    Given an e-mail address, or a number the structure sends SMS to, a registration
    made answers 202 `{"detail": ...}`, the same whether or not the contact was already
    registered, which nobody else may learn: the person is told the outcome (with the
    manage link) by their messages."""
    structure = request.structure
    attempt = _attempt(request)
    wait = attempt.start()
    if wait:
        return _too_many(wait)
    event = registrations.open_events(structure.site.root_page).filter(pk=payload.event).first()
    if event is None:
        raise field_error("event", _("There is no such event taking registrations."))
    occurrence = event.registration_occurrence(payload.date, timezone.now())
    if occurrence is None:
        raise field_error("date", _("This event has no such date to come."))
    if payload.mode not in registrations.modes_of(event):
        raise field_error("mode", _("This event does not take registrations in this mode."))
    private = registrations.answers_privately(structure, email=payload.email, phone=payload.phone)
    run = registrations.register_answered_privately if private else registrations.register
    try:
        registration = run(
            event=event,
            occurrence=occurrence,
            mode=payload.mode,
            structure=structure,
            first_name=payload.first_name,
            email=payload.email,
            phone=payload.phone,
            preferred_channel=payload.preferred_channel,
            party_size=payload.party_size,
            auto_confirm=payload.auto_confirm,
            consent=payload.consent,
            source=Registration.Source.API,
        )
    except services.InvalidDetails as error:
        raise _request_error(error) from None
    except services.BookingError as error:
        return Status(409, {"detail": str(error.message)})
    if private:  # counted whatever the outcome, like the website's (services.limits)
        return Status(202, {"detail": str(REGISTRATION_RECEIVED)})
    attempt.booked()
    confirmed = registration.status == Registration.Status.CONFIRMED
    return Status(201 if confirmed else 202, _registration_out(registration, structure))


def _registration_out(registration, structure):
    """Its manage link as the website's form gives it: that registration only, never
    the others of the contact (those only the links sent to it list)."""
    token = make_registration_token(registration)
    date = registration.date
    local_tz = structure.zone
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "reference": str(registration.uuid),
        "status": registration.status,
        "position": registrations.position(registration),
        "event": date.event_id,
        "date": date.key,
        "title": date.title,
        "start": date.start.astimezone(local_tz),
        "end": date.end.astimezone(local_tz),
        "mode": registration.pool.mode,
        "party_size": registration.party_size,
        "manage_url": structure.public_url + reverse("booking:registration", args=[token]),
        "ics_url": structure.public_url + reverse("booking:registration_calendar", args=[token])
        if confirmed
        else None,
    }
