"""Helpers for the booking-flow, notification and manage-link tests."""

from smtplib import SMTPException
from urllib.parse import urlencode

from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from booking import services
from booking.scheduling.listing import slot_key
from booking.scheduling.loading import find_slots
from booking.web.journey import ANY_COUNSELLOR
from structures.models import Structure

from .factories import HOME_ADDRESS

DETAILS = {
    "first_name": "Léa",
    "email": "lea@example.org",
    "phone": "",
    "message": "Je cherche une formation.",
    "consent": "on",
    "website": "",
    **HOME_ADDRESS,  # read only for a meeting at home
}


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise SMTPException("Connection refused by the test mail server")


def flow_url(**params):
    return f"{reverse('booking:flow')}?{urlencode(params)}" if params else reverse("booking:flow")


def text(response):
    return response.content.decode()


def assert_shows(response, message, count=None):
    """The message, in the language the page was rendered in, is on the page."""
    html = text(response)
    expected = escape(str(message))
    assert expected in html, f"{expected!r} not found"
    if count is not None:
        assert html.count(expected) == count


def step_label(number, total):
    return gettext("Step %(number)s of %(total)s") % {"number": number, "total": total}


def free_slots(counsellor=None, fmt=None, place=None):
    slots = find_slots(
        Structure.default(),
        counsellors=[counsellor] if counsellor else None,
        formats=[fmt] if fmt else None,
    )
    return [
        slot
        for slot in slots
        if slot.group_session is None and (place is None or slot.place.pk == place.pk)
    ]


def choices(counsellor, fmt, place, slot, **extra):
    """The GET parameters of a complete journey."""
    params = {
        "conseiller": counsellor.slug if counsellor else ANY_COUNSELLOR,
        "format": fmt.slug,
    }
    if place is not None:
        params["lieu"] = str(place.pk)
    params["creneau"] = slot_key(slot)
    params.update(extra)
    return params


def post_booking(client, params, **details):
    data = {**params, **DETAILS, "etape": "coordonnees", **details}
    return client.post(reverse("booking:flow"), data)


def book(slot, *, email="lea@example.org", phone="", first_name="Léa"):
    """A booking made through the services, as the flow would."""
    return services.book(
        first_name=first_name,
        email=email,
        phone=phone,
        consent=True,
        format=slot.format,
        start=slot.start,
        place=slot.place,
        counsellor=slot.counsellor,
    )
