"""Partner sites list the event dates that take registrations and register people: the
website's seats and rules, the API's error shapes and limits."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from booking.models import ApiKey, Registration
from events.models import AttendanceMode
from structures.models import Structure

from ..registrations_support import first_date, open_event, register
from .support import API

pytestmark = pytest.mark.django_db
Status = Registration.Status


def post(client, payload, **extra):
    return client.post(
        f"{API}/registrations", json.dumps(payload), content_type="application/json", **extra
    )


def payload(page, name="Lea", **overrides):
    return {
        "event": page.pk,
        "date": first_date(page).key,
        "mode": "on_site",
        "first_name": name,
        "phone": "06 12 34 56 78",
        "consent": True,
        **overrides,
    }


def test_the_events_list_says_each_dates_seats_per_mode(client, home):
    hybrid = open_event(home, mode=AttendanceMode.HYBRID, onsite=2, online=None, days=3)
    full = open_event(home, onsite=1, title="Journée sport", days=5)
    open_event(home, onsite=5, title="Fermé", registrations_open=False)
    register(hybrid, "Lea", party_size=2)
    register(full, "Sami")

    listed = client.get(f"{API}/events").json()

    assert [(date["title"], date["date"]) for date in listed] == [
        ("Portes ouvertes", first_date(hybrid).key),
        ("Journée sport", first_date(full).key),
    ]
    assert listed[0]["modes"] == [
        {"mode": "on_site", "capacity": 2, "seats_left": 0, "full": True, "waiting_list": True},
        {
            "mode": "online",
            "capacity": None,
            "seats_left": None,
            "full": False,
            "waiting_list": True,
        },
    ]
    assert listed[0]["url"].endswith(hybrid.url)
    assert listed[1]["modes"][0]["full"] is True


def test_the_events_list_costs_the_same_for_3_or_30_events(
    client, home, django_assert_max_num_queries
):
    made = []

    def count(events):
        while len(made) < events:
            event = open_event(home, onsite=3, title=f"Atelier {len(made)}", days=2 + len(made))
            register(event, f"P{len(made)}")
            made.append(event)
        cache.clear()
        client.get("/rendez-vous/")  # the site and its structure kept, as in production
        with django_assert_max_num_queries(8) as captured:
            listed = client.get(f"{API}/events").json()
        assert len(listed) == events
        assert all(date["modes"][0]["seats_left"] == 2 for date in listed)
        return len(captured)

    assert count(3) == count(30)


@pytest.fixture
def no_sms(db):
    """A structure that sends no SMS: a number alone is answered with the registration."""
    Structure.objects.update(sms_enabled=False)


def test_a_seat_free_is_confirmed_201_with_its_links(client, home, no_sms):
    event = open_event(home, onsite=2)

    response = post(client, payload(event, party_size=2))

    assert response.status_code == 201
    body = response.json()
    registration = Registration.objects.get()
    assert (registration.status, registration.party_size) == (Status.CONFIRMED, 2)
    assert registration.source == Registration.Source.API
    assert body["reference"] == str(registration.uuid)
    assert (body["status"], body["position"], body["mode"]) == ("confirmed", None, "on_site")
    assert "/rendez-vous/inscription/gerer/" in body["manage_url"]
    calendar = client.get(body["ics_url"].split("localhost", 1)[1])
    assert "SUMMARY:Portes ouvertes" in calendar.content.decode()


def test_a_full_date_puts_the_person_on_the_waiting_list_202_with_their_position(
    client, home, no_sms
):
    event = open_event(home, onsite=1)
    register(event, "Lea")
    register(event, "Sami")

    response = post(client, payload(event, "Ines"))

    assert response.status_code == 202
    assert (response.json()["status"], response.json()["position"]) == ("waiting", 2)
    assert response.json()["ics_url"] is None


def test_neither_a_seat_nor_a_waiting_list_is_a_conflict(client, home):
    """Within the last hours, no waiting list: 409, and nothing is written."""
    event = open_event(home, onsite=1, offer_cutoff_hours=24 * 8)
    register(event, "Lea")

    response = post(client, payload(event, "Sami"))

    assert response.status_code == 409
    assert "complète" in response.json()["detail"]
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"first_name": ""}, "first_name", "prénom"),
        ({"phone": "01 23 45 67 89"}, "phone", "fixe"),
        ({"phone": ""}, "email", "adresse e-mail"),
        ({"party_size": 5}, "party_size", "entre 1 et 2"),
        ({"consent": False}, "consent", "acceptes"),
        ({"consent": "yes"}, "consent", "true"),
        ({"mode": "online"}, "mode", "mode"),
        ({"date": "day-20000101"}, "date", "date"),
        ({"event": 999999}, "event", "événement"),
    ],
)
def test_bad_requests_name_the_field_in_french(client, home, overrides, field, words):
    event = open_event(home, onsite=2)

    response = post(client, payload(event, **overrides))

    assert response.status_code == 422
    [message] = response.json()["errors"][field]
    assert words in message.lower() or words in message
    assert not Registration.objects.exists()


def test_another_structures_events_are_not_listed_nor_open(client, home, other_structure, settings):
    settings.ALLOWED_HOSTS = ["testserver", "sud.localhost"]
    event = open_event(home, onsite=2)
    there = {"HTTP_HOST": "sud.localhost"}

    assert client.get(f"{API}/events", **there).json() == []
    assert post(client, payload(event), **there).status_code == 422


def test_a_body_that_is_not_json_is_refused_415(client, home):
    event = open_event(home, onsite=2)

    response = client.post(f"{API}/registrations", payload(event))

    assert response.status_code == 415
    assert not Registration.objects.exists()


def test_failed_registrations_count_against_the_key_like_bookings(client, home, settings):
    """Under the key's own ceiling, shared with its bookings: over it, 429 with
    Retry-After; the address's count stays apart."""
    settings.BOOKING_API_KEY_RATE_LIMIT = (3, 600)
    _key, secret = ApiKey.create(name="Partenaire", structure=Structure.default())
    event = open_event(home, onsite=1, offer_cutoff_hours=24 * 8)
    register(event, "Lea")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    statuses = [post(client, payload(event, f"P{n}"), **headers).status_code for n in range(4)]

    assert statuses == [409, 409, 409, 429]
    assert post(client, payload(event, "Ines"), **headers).has_header("Retry-After")
    assert post(client, payload(event, "Ines")).status_code == 409


def test_the_openapi_describes_the_events_and_registrations(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]

    assert set(paths[f"{API}/registrations"]["post"]["responses"]) >= {
        "201",
        "202",
        "409",
        "422",
        "429",
    }
    assert "get" in paths[f"{API}/events"]


def test_a_date_past_is_not_listed(client, home):
    event = open_event(home, onsite=2, days=1)
    soon = timezone.now() + timedelta(days=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: soon)
        assert client.get(f"{API}/events").json() == []
    assert client.get(f"{API}/events").json()[0]["event"] == event.pk


def test_the_api_never_tells_whether_an_address_is_already_registered(
    client, home, django_capture_on_commit_callbacks
):
    """Given an address, 202 with the same body for a contact already registered and a
    new one; the outcome goes to the contact."""
    event = open_event(home, onsite=1)
    register(event, "Lea")
    mail.outbox.clear()
    by_address = {"phone": ""}

    with django_capture_on_commit_callbacks(execute=True):
        known = post(client, payload(event, "Léa", email="lea@example.org", **by_address))
        new = post(client, payload(event, "Léa", email="ines@example.org", **by_address))

    assert (known.status_code, known.json()) == (new.status_code, new.json())
    assert known.status_code == 202 and set(known.json()) == {"detail"}
    assert {message.to[0] for message in mail.outbox} == {"lea@example.org", "ines@example.org"}
    assert Registration.objects.filter(young_person__email="lea@example.org").count() == 1


def test_the_api_never_tells_whether_a_number_it_texts_is_already_registered(
    client, home, sms_outbox, django_capture_on_commit_callbacks
):
    event = open_event(home, onsite=1)
    register(event, "Lea", email="", phone="06 12 34 56 78")
    sms_outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        known = post(client, payload(event, "Léa"))
        new = post(client, payload(event, "Léa", phone="06 98 76 54 32"))

    assert (known.status_code, known.json()) == (new.status_code, new.json())
    assert known.status_code == 202 and set(known.json()) == {"detail"}
    assert {message.to for message in sms_outbox} == {"+33612345678", "+33698765432"}
    assert Registration.objects.filter(young_person__phone="+33612345678").count() == 1
