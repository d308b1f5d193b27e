"""Whatever arrives in a parameter or a field of the booking journey and the manage
pages, the answer is a page in plain French (400 when something is wrong), never a
server error, and what the person typed is still in the form."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from booking.scheduling.listing import slot_key
from booking.services.tokens import make_token
from booking.web.journey import Param
from tests.support import HOSTILE_VALUES

from ..flow_support import DETAILS, book, choices, flow_url, free_slots, text

# Besides what any sweep sends: slot keys and group ids out of range, path tricks, the
# spellings of other types.
HOSTILE = [
    *HOSTILE_VALUES,
    "groupe-²",
    "groupe-",
    "groupe-0",
    "groupe--1",
    "groupe-" + "9" * 30,
    "groupe-١٢",
    "99991231T235959Z",
    "00010101T000000Z",
    "20260230T100000Z",
    "\x00",
    "%00",
    "../../etc/passwd",
    "oui",
    "true",
    "[]",
]

FLOW_PARAMS = [param.value for param in Param]
DETAIL_FIELDS = ["first_name", "email", "phone", "message", "consent", "website"]


@pytest.fixture
def journeys(samira, individuel, structure, collectif, make_session):
    """The parameters of a complete journey, individual and group."""
    slot = free_slots(samira)[0]
    day = timezone.localdate() + timedelta(days=8)
    session = make_session(samira, f"{day} 14:00")
    group = {"conseiller": "samira", "format": collectif.slug, "creneau": f"groupe-{session.pk}"}
    return [choices(samira, individuel, structure, slot), group]


def assert_plain_page(response):
    """A page, not a server error; a refusal is told in French."""
    assert response.status_code < 500, response.status_code
    if response.status_code == 400:
        html = text(response)
        assert 'lang="fr"' in html
        assert "error-summary" in html or "notice--error" in html


def assert_no_5xx(response):
    assert response.status_code < 500, response.status_code


@pytest.mark.parametrize("value", HOSTILE)
def test_any_value_of_any_flow_parameter_is_answered_with_a_page(client, journeys, value):
    for journey in journeys:
        for name in FLOW_PARAMS:
            for params in ({**journey, name: value}, {name: value}):
                assert_plain_page(client.get(flow_url(**params)))


@pytest.mark.parametrize("value", HOSTILE)
def test_any_value_at_the_last_step_keeps_what_was_typed(client, journeys, value, settings):
    settings.BOOKING_RATE_LIMIT = (10_000, 3600)
    for journey in journeys:
        for name in [*FLOW_PARAMS, *DETAIL_FIELDS]:
            data = {**journey, **DETAILS, "etape": "coordonnees", name: value}
            response = client.post(reverse("booking:flow"), data)
            if response.status_code == 303:
                continue  # the value was harmless there and the booking was made
            assert_plain_page(response)
            typed = data["first_name"]
            if "\x00" not in typed and name != "first_name":
                assert escape(typed) in text(response)


def test_repeated_parameters_are_answered_with_a_page(client, journeys):
    for journey in journeys:
        query = "&".join(f"{name}={value}" for name, value in journey.items())
        repeated = f"{reverse('booking:flow')}?{query}&creneau=groupe-²&creneau=&lieu=x&lieu=1"
        assert_plain_page(client.get(repeated))


@pytest.mark.parametrize("value", HOSTILE)
def test_any_value_sent_to_the_manage_pages_is_answered_with_a_page(samira, value):
    booking = book(free_slots(samira)[0])
    client = Client()
    token = make_token(booking)
    for page in ("booking:manage", "booking:move", "booking:cancel", "booking:confirmation"):
        url = reverse(page, args=[token])
        assert_no_5xx(client.get(url, {Param.WEEK: value}))
    for page in ("booking:move", "booking:cancel"):
        url = reverse(page, args=[token])
        for field in (Param.SLOT, "revision", "message"):
            data = {"revision": str(booking.sequence), Param.SLOT: slot_key(free_slots(samira)[1])}
            assert_plain_page(client.post(url, {**data, field: value}))


@pytest.mark.parametrize("value", ["²", "a\x00b", "x" * 5000, "..", "%00"])
def test_any_token_is_answered_with_a_page(db, client, value):
    for page in ("booking:manage", "booking:move", "booking:confirmation"):
        try:
            url = reverse(page, args=[value])
        except Exception:  # noqa: BLE001 - a value no URL can hold is not a request
            continue
        assert_no_5xx(client.get(url))
