"""What hostile input gets out of the public booking flow and the API: prints how many
requests were sent and how many got a server error, how many bookings sent as
cross-site "simple" bodies were made, and what a booking with someone else's address
reveals; asserts nothing (tests/booking/web and tests/booking/api do).

    .venv/bin/python bench/hostile_input.py

Builds a throwaway SQLite database with the booking demo, then sends every value below to
every parameter of each step of the journey, every field of its last step, every query
parameter of /api/v1/slots and every field of a POST /api/v1/bookings.
"""

import json
import logging
import re
from collections import Counter
from datetime import timedelta

import throwaway  # sets Django up: before anything that needs it

# isort: split

from django.test import Client, override_settings
from django.utils import timezone

from booking import demo, services
from booking.models import Format, GroupSession
from booking.scheduling.listing import slot_key
from booking.scheduling.loading import find_slots
from structures.models import Structure

TEXT = [
    "", "²", "groupe-²", "groupe-", "groupe-" + "9" * 30, "-1", "9" * 30, "1e309", "NaN",
    "9999-12-31", "0001-01-01", "99991231T235959Z", "00010101T000000Z", "a\x00b", "x" * 5000,
    "<script>", "🙂",
]  # fmt: skip
JSON = [*TEXT, None, True, 0, -1, 2**63, 10**400, 1e308, [], {}]
FLOW = ["conseiller", "format", "premiere", "lieu", "creneau", "etape", "semaine"]
DETAILS = {
    "first_name": "Attaquant",
    "email": "victoria@example.org",
    "phone": "",
    "message": "",
    "consent": "on",
    "website": "",
}
SIMPLE_BODIES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x"]


def plain_slots():
    """Free individual slots whose outcome no contact's history decides."""
    return [
        slot
        for slot in find_slots(Structure.default())
        if slot.group_session is None
        and slot.format.meeting_stage == Format.MeetingStage.ANY
        and slot.place.suits_first_meeting
    ]


def journeys():
    """The parameters of a complete journey to a free individual slot and a group seat."""
    single = plain_slots()[0]
    group = GroupSession.objects.filter(start__gt=timezone.now()).first()
    return single, [
        {
            "conseiller": single.counsellor.slug,
            "format": single.format.slug,
            "lieu": str(single.place.pk),
            "premiere": "oui",
            "creneau": slot_key(single),
        },
        {
            "conseiller": group.counsellor.slug,
            "format": group.format.slug,
            "creneau": f"groupe-{group.pk}",
        },
    ]


def sweep(client, single, flows):
    statuses = Counter()
    for flow in flows:
        for name in FLOW:
            for value in TEXT:
                statuses[client.get("/rendez-vous/", {**flow, name: value}).status_code] += 1
        for name in [*FLOW, *DETAILS]:
            for value in TEXT:
                data = {**flow, **DETAILS, "email": "balayage@example.org", "etape": "coordonnees"}
                data[name] = value
                statuses[client.post("/rendez-vous/", data).status_code] += 1
    for name in ["counsellor", "format", "start", "end"]:
        for value in TEXT:
            statuses[client.get("/api/v1/slots", {name: value}).status_code] += 1
    payload = api_payload(single)
    for name in payload:
        for value in JSON:
            body = json.dumps({**payload, name: value})
            response = client.post("/api/v1/bookings", body, content_type="application/json")
            statuses[response.status_code] += 1
    return statuses


def api_payload(slot, **overrides):
    return {
        "counsellor": slot.counsellor.slug,
        "format": slot.format.slug,
        "start": slot.start.isoformat(),
        "place": slot.place.pk,
        "first_name": "Attaquant",
        "email": "autre@example.org",
        "consent": True,
        **overrides,
    }


def simple_bodies_booked(client):
    booked = 0
    slots = plain_slots()
    for content_type, slot in zip(SIMPLE_BODIES, slots[-len(SIMPLE_BODIES) :], strict=True):
        body = json.dumps(api_payload(slot, email=f"{content_type[:4]}@example.org"))
        response = client.post("/api/v1/bookings", body, content_type=content_type)
        booked += response.status_code == 201
    return booked


def stored_name_shown(client):
    """Victoria booked once; someone types her address with another name."""
    slots = plain_slots()
    victoria = {"email": DETAILS["email"], "consent": True}
    services.book(first_name="Victoria", **victoria, **_target(slots[0]))
    other = next(slot for slot in slots if slot.counsellor != slots[0].counsellor)
    data = {**_params(other), **DETAILS, "etape": "coordonnees"}
    response = client.post("/rendez-vous/", data, follow=True)
    assert response.redirect_chain, "the booking was made"
    return "Victoria" in response.content.decode()


def history_shown(client):
    """The first-meeting-only format, asked for by Victoria (known) and by a newcomer."""
    cafe = Format.objects.filter(meeting_stage=Format.MeetingStage.FIRST, active=True).first()
    if cafe is None:
        return None
    slots = [
        slot
        for slot in find_slots(Structure.default(), formats=[cafe])
        if slot.group_session is None
    ]
    answers = []
    for email, slot in (("victoria@example.org", slots[0]), ("nouvelle@example.org", slots[1])):
        data = {**_params(slot), **DETAILS, "email": email, "etape": "coordonnees"}
        response = client.post("/rendez-vous/", data, follow=True)
        page = response.content.decode().replace(email, "…")
        page = re.sub(r'(value|nonce|href)="[^"]*"', "", page)
        answers.append((response.status_code, re.sub(r"gerer/[^/]+/", "", page)))
    return answers[0] != answers[1]


def _params(slot):
    return {
        "conseiller": slot.counsellor.slug,
        "format": slot.format.slug,
        "lieu": str(slot.place.pk),
        "premiere": "oui",
        "creneau": slot_key(slot),
    }


def _target(slot):
    return {
        "format": slot.format,
        "start": slot.start,
        "place": slot.place,
        "counsellor": slot.counsellor,
    }


def main():
    throwaway.migrate()
    demo.load(today=timezone.localdate() + timedelta(days=1))
    logging.disable(logging.CRITICAL)  # the server errors are counted, not printed
    client = Client(raise_request_exception=False)
    with override_settings(BOOKING_RATE_LIMIT=(1_000_000, 3600), ALLOWED_HOSTS=["testserver"]):
        single, flows = journeys()
        statuses = sweep(client, single, flows)
        errors = sum(count for status, count in statuses.items() if status >= 500)
        throwaway.report(f"hostile requests: {sum(statuses.values())}, server errors: {errors}")
        throwaway.report(f"statuses: {dict(sorted(statuses.items()))}")
        throwaway.report(
            f"bookings made from simple cross-site bodies: {simple_bodies_booked(client)} "
            f"of {len(SIMPLE_BODIES)}"
        )
        throwaway.report(f"stored first name shown to someone else: {stored_name_shown(client)}")
        differ = history_shown(client)
        throwaway.report(f"known and unknown contacts answered differently: {differ}")


if __name__ == "__main__":
    throwaway.run(main)
