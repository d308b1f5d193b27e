"""A booking endpoint for the concurrency tests only, in the shape of the public API's
POST: same JSON payload, 201 on success, 409 {"detail": message} when the slot was taken.
It adds nothing to the product: every decision is booking.services.book()'s."""

import json
from datetime import datetime

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from booking import services
from booking.models import Counsellor, Format, GroupSession, Place


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
    if fmt.is_group:
        session = GroupSession.objects.get(format=fmt, place=place, start=start)
        target = {"group_session": session}
    try:
        booking = services.book(
            first_name=payload["first_name"],
            email=payload.get("email", ""),
            phone=payload.get("phone", ""),
            consent=payload["consent"],
            source="api",
            **target,
        )
    except (services.SlotTaken, services.AlreadyBooked) as error:
        return JsonResponse({"detail": str(error.message)}, status=409)
    except services.BookingError as error:
        return JsonResponse({"detail": str(error.message), "code": error.code}, status=422)
    return JsonResponse({"reference": str(booking.uuid)}, status=201)


urlpatterns = [path("book/", book)]
