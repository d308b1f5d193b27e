"""Booking endpoints for the concurrency tests only. `book/` has the shape of the public
API's POST: same JSON payload, 201 on success, 409 {"detail": message} when the slot was
taken; with "source": "staff" and "override_limits", as the front desk books.
`move/` and `cancel/` take a booking's reference (and a session id), as the
person's manage page does: 200, or 409 when refused. `sms/<secret>/accuses/` is the
site's own delivery-report webhook, reading Brevo's reports (`BrevoReports`).
`register/` registers for an event date (201 confirmed, 202 waiting, 409 refused),
`registration/cancel/`, `accept/` and `expire/` change registrations as their manage
page and the sweep do; `join/` joins a group session's waiting list (201 booked at
once, 202 on the list or offered, 409 refused). They add nothing to the product: every decision is
booking.services'."""

import json
from datetime import datetime

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from booking import services
from booking.models import Booking, Counsellor, Format, GroupSession, Place, Registration
from booking.services import registrations
from booking.web.views import sms_report
from core.sms.backends import brevo
from core.sms.backends.locmem import SmsBackend
from events.models import EventPage
from structures.models import Structure


class BrevoReports(SmsBackend):
    """Sends nothing anywhere, reads Brevo's delivery reports."""

    read_report = staticmethod(brevo.read_report)


REFUSED = (services.SlotTaken, services.AlreadyBooked, services.InvalidTransition)


@csrf_exempt
@require_POST
def book(request):
    payload = json.loads(request.body)
    fmt = Format.objects.get(slug=payload["format"])
    place = Place.objects.get(pk=payload["place"])
    counsellor = None
    if payload["counsellor"] != "any":
        counsellor = Counsellor.objects.get(slug=payload["counsellor"])
    start = datetime.fromisoformat(payload["start"])
    target = {"format": fmt, "place": place, "start": start, "counsellor": counsellor}
    if "session" in payload:
        target = {"group_session": GroupSession.objects.get(pk=payload["session"])}
    elif fmt.is_group:
        session = GroupSession.objects.get(format=fmt, place=place, start=start)
        target = {"group_session": session}
    try:
        booking = services.book(
            first_name=payload["first_name"],
            email=payload.get("email", ""),
            phone=payload.get("phone", ""),
            consent=payload["consent"],
            source=payload.get("source", "api"),
            override_limits=payload.get("override_limits", False),
            **target,
        )
    except (services.SlotTaken, services.AlreadyBooked) as error:
        return JsonResponse({"detail": str(error.message)}, status=409)
    except services.BookingError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=422)
    return JsonResponse({"reference": str(booking.uuid)}, status=201)


@csrf_exempt
@require_POST
def move(request):
    payload = json.loads(request.body)
    booking = Booking.objects.get(uuid=payload["reference"])
    session = GroupSession.objects.get(pk=payload["session"])
    return _change(services.move, booking, group_session=session)


@csrf_exempt
@require_POST
def cancel(request):
    payload = json.loads(request.body)
    return _change(services.cancel, Booking.objects.get(uuid=payload["reference"]))


def _change(service, booking, **target):
    try:
        service(booking, by=services.Actor.PERSON, **target)
    except REFUSED as error:
        return JsonResponse({"detail": str(error.message)}, status=409)
    except services.BookingError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=422)
    return JsonResponse({"reference": str(booking.uuid)})


@csrf_exempt
@require_POST
def register(request):
    payload = json.loads(request.body)
    event = EventPage.objects.get(pk=payload["event"])
    try:
        registration = registrations.register(
            event=event,
            occurrence=event.registration_occurrence(payload["key"], timezone.now()),
            mode="on_site",
            structure=Structure.default(),
            first_name=payload["first_name"],
            email=payload["email"],
            party_size=payload["party_size"],
            consent=True,
        )
    except services.BookingError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=409)
    confirmed = registration.status == Registration.Status.CONFIRMED
    return JsonResponse({"reference": str(registration.uuid)}, status=201 if confirmed else 202)


@csrf_exempt
@require_POST
def join(request):
    payload = json.loads(request.body)
    try:
        registration = registrations.join_waiting_list(
            GroupSession.objects.get(pk=payload["session"]),
            structure=Structure.default(),
            first_name=payload["first_name"],
            email=payload["email"],
            consent=True,
        )
    except services.BookingError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=409)
    booked = registration.status == Registration.Status.BOOKED
    return JsonResponse({"reference": str(registration.uuid)}, status=201 if booked else 202)


@csrf_exempt
@require_POST
def change_registration(request, change):
    payload = json.loads(request.body)
    registration = Registration.objects.get(uuid=payload["reference"])
    try:
        if change == "cancel":
            registrations.cancel_registration(registration, by=services.Actor.PERSON)
        else:
            registrations.accept_offer(registration, sequence=payload["sequence"])
    except services.BookingError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=409)
    return JsonResponse({"reference": payload["reference"]})


@csrf_exempt
@require_POST
def expire(request):
    return JsonResponse({"expired": registrations.expire_offers()})


urlpatterns = [
    path("book/", book),
    path("move/", move),
    path("cancel/", cancel),
    path("sms/<str:secret>/accuses/", sms_report),
    path("register/", register),
    path("join/", join),
    path("registration/<str:change>/", change_registration),
    path("expire/", expire),
]
