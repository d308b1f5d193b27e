"""Whatever a partner (or anyone) sends to the API, the answer is JSON in the API's error
shape, never a server error; and only JSON bodies are read, so that no other site can
make its visitors' browsers book through a "simple" cross-site request."""

import json
from urllib.parse import urlencode

import pytest

from booking.models import Booking
from tests.support import HOSTILE_VALUES

from .support import API, booking_payload, post

HOSTILE_TEXT = [
    *HOSTILE_VALUES,
    "١٢",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-23:59",
    "2026-02-30",
    "any",
]
HOSTILE_JSON = [
    *HOSTILE_TEXT,
    None,
    True,
    False,
    0,
    -1,
    2**63,
    10**400,
    1e308,
    [],
    ["samira"],
    {},
    {"$gt": ""},
]
SLOT_PARAMS = ["counsellor", "format", "start", "end"]


def assert_json_error_or_success(response):
    assert response.status_code < 500, response.status_code
    body = response.json()
    if response.status_code >= 400:
        assert set(body) in ({"errors"}, {"detail"}), body
        messages = body.get("errors", {}).values() if "errors" in body else [[body["detail"]]]
        assert all(isinstance(text, str) and text for texts in messages for text in texts)


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_any_value_of_any_slot_parameter_is_answered_in_json(client, samira, day, value):
    for name in SLOT_PARAMS:
        for params in ({name: value}, {"start": str(day), name: value}):
            assert_json_error_or_success(client.get(f"{API}/slots?{urlencode(params)}"))


@pytest.mark.parametrize(
    "query",
    [
        "start=9999-12-31",
        "start=9999-12-25",
        "start=0001-01-01",
        "end=0001-01-01",
        "end=9999-12-31",
        "start=2026-01-01&start=9999-12-31",
        "counsellor=samira&counsellor=%00",
        "format=&format=",
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_in_json(client, samira, query):
    response = client.get(f"{API}/slots?{query}")

    assert response.status_code == 422
    assert_json_error_or_success(response)


@pytest.mark.parametrize("value", HOSTILE_JSON)
def test_any_value_of_any_booking_field_is_answered_in_json(client, samira, day, value):
    fields = booking_payload(day)
    for name in [*fields, "message", "phone", "unexpected"]:
        response = post(client, {**fields, name: value})
        assert_json_error_or_success(response)
    assert Booking.objects.count() <= 1


@pytest.mark.parametrize("path", ["/counsellors", "/formats", "/openapi.json"])
def test_reading_endpoints_ignore_hostile_parameters(client, samira, path):
    response = client.get(f"{API}{path}?{urlencode({'x': 'a' * 5000, 'start': '9999-12-31'})}")

    assert response.status_code == 200


# Only JSON is read ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "",
        "application/jsonp",
        "text/json",
    ],
)
def test_a_booking_sent_as_a_simple_cross_site_request_is_refused(
    client,
    samira,
    day,
    content_type,
):
    """A form or a fetch() with no preflight can send these from any site; browsers
    only preflight application/json, which no other site gets past CORS."""
    body = json.dumps(booking_payload(day))
    if content_type.startswith("multipart"):
        body = f'--xyz\r\nContent-Disposition: form-data; name="x"\r\n\r\n{body}\r\n--xyz--\r\n'

    response = client.post(f"{API}/bookings", body, content_type=content_type)

    assert response.status_code == 415
    assert list(response.json()) == ["detail"]
    assert "application/json" in response.json()["detail"]
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_a_json_booking_is_still_booked(client, samira, day, content_type):
    response = client.post(
        f"{API}/bookings", json.dumps(booking_payload(day)), content_type=content_type
    )

    assert response.status_code == 201
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_unsafe_methods_never_book(client, samira, day, method):
    response = getattr(client, method)(
        f"{API}/bookings", json.dumps(booking_payload(day)), content_type="text/plain"
    )

    assert response.status_code in (405, 415)
    assert not Booking.objects.exists()
