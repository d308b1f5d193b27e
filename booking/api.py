"""A small JSON API for partner sites and apps: who can be met, how, when, and booking.

Mounted at /api/v1/ (config/urls.py); the OpenAPI description is /api/v1/openapi.json.
No accounts and no cookies, so no CSRF token either: a booking POST obeys the same rules
as the website's form (booking.forms.DetailsForm, booking.services) and the same per-IP
limit (booking.ratelimit, counted together with the website's bookings).

Errors: 422 `{"errors": {"field": ["message"]}}` for anything wrong in the request,
409 `{"detail": "message"}` when the time was just taken, 429 over the limit; messages
are in French. Times are ISO 8601; a time without an offset is taken as Paris time
(settings.TIME_ZONE), and times are returned in Paris time with their offset.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError

from . import ics, services
from .forms import DetailsForm
from .models import Booking, Counsellor, Format, GroupSession, Place
from .ratelimit import over_limit
from .slots import find_slots, merge_counsellors
from .tokens import make_token

ANY = "any"
MAX_RANGE_DAYS = 31
# Dates outside this range are refused before any arithmetic can overflow.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_ID = 2**63 - 1

api = NinjaAPI(
    title="Passerelle — rendez-vous",
    version="1",
    description=__doc__,
    urls_namespace="api-v1",
    # ninja serves its Swagger page from its own static files only when "ninja" is an
    # installed app; otherwise it would load it from a CDN, so there is no page then.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)


class RequestError(Exception):
    """Something wrong in the request, reported as 422 {"errors": {field: [message]}}."""

    def __init__(self, errors):
        self.errors = {
            field: [str(message) for message in messages] for field, messages in errors.items()
        }
        super().__init__(self.errors)


def field_error(field, message):
    return RequestError({field: [message]})


@api.exception_handler(RequestError)
def request_error(request, exc):
    return api.create_response(request, {"errors": exc.errors}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    """ninja's (pydantic's) refusals, in the same shape and language as ours."""
    errors = {}
    for error in exc.errors:
        names = [part for part in error["loc"] if isinstance(part, str)]
        field = names[-1] if len(names) > 2 or names[:1] == ["query"] else "body"
        if field == "body":
            message = _("Send a JSON object with the fields described in the documentation.")
        elif error["type"] == "missing":
            message = _("This field is required.")
        else:
            message = FIELD_HINTS.get(field, _("This value is not valid."))
        errors.setdefault(field, []).append(str(message))
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    detail = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


FIELD_HINTS = {
    "start": _("Give a date in the form YYYY-MM-DD, or a time in ISO 8601."),
    "end": _("Give a date in the form YYYY-MM-DD."),
    "consent": _("Send true once the young person has agreed to how their details are used."),
    "counsellor": _("Give a counsellor's slug, or “any”."),
    "format": _("Give a meeting format's slug."),
    "place": _("Give a place's id (a whole number)."),
}


# Reading ----------------------------------------------------------------------------


class CounsellorOut(Schema):
    slug: str
    first_name: str
    formats: list[str] = Field(description="Slugs of the meeting formats they offer.")
    profile_url: str | None = Field(description="Their profile page with a video, if any.")


class FormatOut(Schema):
    slug: str
    name: str
    description: str
    duration_minutes: int
    capacity: int = Field(description="1 for one-to-one; more for a group format.")
    place_kinds: list[str]
    meeting_stage: str = Field(description="first, follow_up or any.")


class PlaceOut(Schema):
    id: int
    name: str
    kind: str


class SlotOut(Schema):
    start: datetime
    end: datetime
    counsellor: str | None = Field(description="Null when asked for any counsellor.")
    format: str
    place: PlaceOut
    seats_left: int = Field(
        description="Places left in a group; for any counsellor, how many are free then."
    )


@api.get("/counsellors", response=list[CounsellorOut], summary="Counsellors one can book")
def counsellors(request):
    found = Counsellor.objects.filter(active=True, formats__active=True).distinct()
    found = found.prefetch_related(Prefetch("formats", queryset=Format.objects.filter(active=True)))
    try:
        profiles = Counsellor._meta.get_field("profile_pages").related_model
    except FieldDoesNotExist:
        profiles = None
    if profiles is not None:
        found = found.prefetch_related(
            Prefetch("profile_pages", queryset=profiles.objects.live().public())
        )
    return [
        {
            "slug": counsellor.slug,
            "first_name": counsellor.first_name,
            "formats": [fmt.slug for fmt in counsellor.formats.all()],
            "profile_url": _profile_url(counsellor, request) if profiles else None,
        }
        for counsellor in found
    ]


def _profile_url(counsellor, request):
    pages = list(counsellor.profile_pages.all())
    return pages[0].get_full_url(request) if pages else None


@api.get("/formats", response=list[FormatOut], summary="Ways to meet")
def formats(request):
    return Format.objects.filter(active=True)


class SlotQuery(Schema):
    counsellor: str = Field(
        ANY, max_length=80, pattern=SLUG_PATTERN, description="A counsellor's slug, or “any”."
    )
    format: str | None = Field(None, max_length=50, pattern=SLUG_PATTERN)
    start: date | None = Field(None, description="First day (default: today).")
    end: date | None = Field(None, description=f"Last day, at most {MAX_RANGE_DAYS} days on.")


@api.get("/slots", response=list[SlotOut], summary="Free times")
def slots(request, query: Query[SlotQuery]):
    """Free times from `start` to `end` (both included, Paris days), at most 31 days.
    With `counsellor=any` (the default), one slot per time, format and place whoever is
    free, as the website's "first available"."""
    today = timezone.localdate()
    first = query.start or today
    last = query.end or first + timedelta(days=6)
    _check_range(first, last)
    fmt = _format(query.format) if query.format else None
    counsellor = None if query.counsellor == ANY else _counsellor(query.counsellor)
    found = find_slots(
        start=_local_midnight(first),
        end=_local_midnight(last + timedelta(days=1)),
        counsellors=[counsellor] if counsellor else None,
        formats=[fmt] if fmt else None,
    )
    if counsellor is None:
        found = merge_counsellors(found)
    return [_slot_out(slot) for slot in found]


def _check_range(first, last):
    for name, day in (("start", first), ("end", last)):
        if not EARLIEST <= day <= LATEST:
            raise field_error(name, _("This date is out of range."))
    if last < first:
        raise field_error("end", _("The end must not come before the start."))
    if (last - first).days >= MAX_RANGE_DAYS:
        raise field_error("end", _("Ask for %(days)s days at most.") % {"days": MAX_RANGE_DAYS})


def _slot_out(slot):
    local_tz = timezone.get_default_timezone()
    return {
        "start": slot.start.astimezone(local_tz),
        "end": slot.end.astimezone(local_tz),
        "counsellor": slot.counsellor.slug if slot.counsellor else None,
        "format": slot.format.slug,
        "place": {"id": slot.place.id, "name": slot.place.name, "kind": slot.place.kind},
        "seats_left": slot.seats_left,
    }


# Booking ----------------------------------------------------------------------------


class BookingIn(Schema):
    counsellor: str = Field(
        ANY, max_length=80, pattern=SLUG_PATTERN, description="A counsellor's slug, or “any”."
    )
    format: str = Field(max_length=50, pattern=SLUG_PATTERN)
    start: str = Field(
        max_length=40,
        description="The slot's start, ISO 8601; without an offset, Paris time.",
        examples=["2026-03-02T09:00:00+01:00"],
    )
    place: int = Field(ge=1, le=MAX_ID, description="The slot's place id.")
    first_name: str = ""
    email: str = Field("", description="An e-mail address, or…")
    phone: str = Field("", description="…a French mobile number (not both).")
    consent: bool = Field(
        strict=True, description="True once the person agreed to how their details are used."
    )
    message: str = ""


class BookingOut(Schema):
    reference: str
    status: str
    start: datetime
    end: datetime
    counsellor: str
    format: str
    place: PlaceOut
    manage_url: str = Field(description="To give to the person: see, move or cancel.")
    ics_url: str = Field(description="The appointment as a calendar file.")


class Detail(Schema):
    detail: str


class Errors(Schema):
    errors: dict[str, list[str]]


@api.post(
    "/bookings",
    response={201: BookingOut, 409: Detail, 422: Errors, 429: Detail},
    summary="Book a free time",
)
def book(request, payload: BookingIn):
    wait = over_limit(request, "book")
    if wait:
        response = api.create_response(
            request,
            {"detail": _("Too many bookings from this address. Please try again later.")},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    fmt = _format(payload.format)
    counsellor = None if payload.counsellor == ANY else _counsellor(payload.counsellor)
    place = Place.objects.filter(pk=payload.place, active=True).first()
    if place is None:
        raise field_error("place", _("There is no such place."))
    start = _parse_start(payload.start)
    details = DetailsForm(
        {
            "first_name": payload.first_name,
            "email": payload.email,
            "phone": payload.phone,
            "message": payload.message,
            "consent": payload.consent,
        },
        place=place,
    )
    if not details.is_valid():
        raise RequestError(details.errors)
    target = {"format": fmt, "start": start, "place": place, "counsellor": counsellor}
    if fmt.is_group:
        target = {"group_session": _group_session(fmt, start, place, counsellor)}
    try:
        booking = services.book(**details.booking_details(), **target, source=Booking.Source.API)
    except (services.SlotTaken, services.AlreadyBooked) as error:
        return Status(409, {"detail": str(error.message)})
    except services.SlotUnavailable as error:
        raise field_error("start", error.message) from None
    except services.MeetingStageMismatch as error:
        field = "place" if error.message is services.MeetingStageMismatch.NOT_AT_HOME else "format"
        raise field_error(field, error.message) from None
    except services.InvalidDetails as error:
        raise field_error(error.field, error.message) from None
    return Status(201, _booking_out(booking))


def _booking_out(booking):
    token = make_token(booking)
    local_tz = timezone.get_default_timezone()
    return {
        "reference": str(booking.uuid),
        "status": booking.status,
        "start": booking.start.astimezone(local_tz),
        "end": booking.end.astimezone(local_tz),
        "counsellor": booking.counsellor.slug,
        "format": booking.format.slug,
        "place": {"id": booking.place.id, "name": booking.place.name, "kind": booking.place.kind},
        "manage_url": ics.site_url() + reverse("booking:manage", args=[token]),
        "ics_url": ics.site_url() + reverse("booking:calendar", args=[token]),
    }


# Lookups ----------------------------------------------------------------------------


def _format(slug):
    fmt = Format.objects.filter(slug=slug, active=True).first()
    if fmt is None:
        raise field_error("format", _("There is no such meeting format."))
    return fmt


def _counsellor(slug):
    counsellor = Counsellor.objects.filter(slug=slug, active=True).first()
    if counsellor is None:
        raise field_error("counsellor", _("There is no such counsellor."))
    return counsellor


def _parse_start(text):
    """An aware datetime; a naive one is Paris time (the structure's)."""
    try:
        start = datetime.fromisoformat(text.strip())
    except ValueError:
        raise field_error("start", FIELD_HINTS["start"]) from None
    if not EARLIEST <= start.date() <= LATEST:
        raise field_error("start", _("This date is out of range."))
    if timezone.is_naive(start):
        start = timezone.make_aware(start, timezone.get_default_timezone())
    return start


def _group_session(fmt, start, place, counsellor):
    sessions = GroupSession.objects.filter(format=fmt, place=place, start=start)
    if counsellor is not None:
        sessions = sessions.filter(counsellor=counsellor)
    session = sessions.order_by("-capacity").first()
    if session is None:
        raise field_error("start", services.SlotUnavailable.MESSAGES["outside_availability"])
    return session


def _local_midnight(day):
    return datetime.combine(day, time(), tzinfo=timezone.get_default_timezone())
