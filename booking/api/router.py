"""A small JSON API for partner sites and apps: who can be met, how, when, and booking.

Mounted at /api/v1/ (config/api.py); the OpenAPI description is /api/v1/openapi.json.
No accounts and no cookies, so no CSRF token either: a booking POST obeys the same rules
as the website's form (booking.services) and the same per-IP limit (core.ratelimit,
counted together with the website's bookings), and its body must be JSON.

A booking made answers 201 with the appointment and its manage link. When the person’s past
bookings decide whether they may book (a format for first meetings or follow-ups only,
a place at home, a group session), the answer is 202 whatever happens, and the person
learns the outcome by e-mail (so such a booking needs an e-mail address, except by
phone): nobody learns from the API whether an address has booked before.

Errors: 422 `{"errors": {"field": ["message"]}}` for anything wrong in the request,
409 `{"detail": "message"}` when the time was just taken, 415 for a body that is not
JSON (`Content-Type: application/json`), 429 over the limit; messages are in French.
Everything is the structure's whose site is asked (its counsellors, formats, places and
bookings). Times are ISO 8601; a time without an offset is that structure's wall clock
(Paris time in Lens, UTC+4 in La Réunion), and times are returned in it, with their
offset.
"""

from datetime import date, datetime, timedelta
from functools import wraps

from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from booking import services
from booking.models import Booking, Counsellor, Format, GroupSession, Place
from booking.scheduling.loading import find_slots
from booking.scheduling.slots import merge_counsellors
from booking.services.contacts import answered_by_email, check_answerable
from booking.services.tokens import make_token
from core.dates import local_midnight
from core.ratelimit import over_limit

from .errors import FIELD_HINTS, field_error
from .schemas import (
    ANY,
    MAX_RANGE_DAYS,
    BookingIn,
    BookingOut,
    CounsellorOut,
    Detail,
    Errors,
    FormatOut,
    SlotOut,
    SlotQuery,
)

router = Router(tags=["rendez-vous"])

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
API_FIELDS = {"slot": "start"}

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
    response={201: BookingOut, 202: Detail, 409: Detail, 415: Detail, 422: Errors, 429: Detail},
    summary="Book a free time",
)
def book(request, payload: BookingIn):
    """201 with the booking, or 202 when the answer goes to the person by e-mail: for a
    format for first meetings or follow-ups only, a place at home or a group session,
    whether the person may book depends on their past bookings, which nobody else may
    learn; so every such request gets the same 202, and the person the confirmation
    (with the manage link) or the refusal (with what they can book instead)."""
    structure = request.structure
    wait = over_limit(request, "book", structure.rate_limit)
    if wait:
        response = JsonResponse(
            {"detail": _("Too many bookings from this address. Please try again later.")},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
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
    try:
        email, _phone = services.normalise_contact(
            payload.email, payload.phone, **structure.phone_rules
        )
        check_answerable(target, email=email)
    except services.InvalidDetails as error:
        raise _request_error(error) from None
    if answered_by_email(target, email=email):
        return _book_answered_by_email(structure, details, target)
    try:
        booking = services.book(**details, **target, structure=structure, source=Booking.Source.API)
    except (services.SlotTaken, services.AlreadyBooked) as error:
        return Status(409, {"detail": str(error.message)})
    except services.BookingError as error:
        raise _request_error(error) from None
    return Status(201, _booking_out(booking, structure))


def _book_answered_by_email(structure, details, target):
    """202, the same whatever the outcome, when the contact's past bookings can decide it
    (see `services.contacts.history_decides`): only the contact learns it, by e-mail."""
    try:
        services.book_answered_by_email(
            **details,
            **target,
            structure=structure,
            source=Booking.Source.API,
            again_url=lambda error: structure.public_url + reverse("booking:flow"),
        )
    except services.InvalidDetails as error:
        raise _request_error(error) from None
    answer = _(
        "Request received. The answer goes by e-mail to the address given: the confirmation, "
        "with the link to move or cancel, or why it cannot be booked and what can be instead."
    )
    return Status(202, {"detail": answer})


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
