"""What a booking through the API costs in queries: at most 15, the same for 3 or 30
counsellors: 2 or 3 to look up the format, the counsellor and the place (and 1 for a
group session), then as the website's last step (tests/booking/web/test_booking_queries.py)."""

from datetime import timedelta

import pytest

from booking.models import ApiKey, Booking, Format
from structures.models import Structure

from ..factories import FormatFactory, seats_booked
from .support import at, booking_payload, post

MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def sites_cached(settings):
    """As in production: each host's site kept in the cache (core.sites)."""
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.mark.parametrize("counsellor", ["samira", "any"])
@pytest.mark.parametrize("stage", [Format.MeetingStage.ANY, Format.MeetingStage.FIRST])
def test_a_booking_through_the_api_costs_at_most_15_queries(
    client, make_counsellor, day, counsellor, stage, django_assert_max_num_queries
):
    """A format for any meeting is answered 201; one for first meetings only 202, the
    answer going by e-mail."""
    fmt = FormatFactory(slug="api-format", meeting_stage=stage)
    made = []

    def count(counsellors, when):
        while len(made) < counsellors:
            made.append(make_counsellor("samira" if not made else f"c{len(made)}", formats=[fmt]))
        email = f"lea{counsellors}@example.org"
        payload = booking_payload(when, counsellor=counsellor, format=fmt.slug, email=email)
        client.get("/rendez-vous/")  # as after the steps: the site and its structure cached
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post(client, payload)
        assert response.status_code == (201 if stage == Format.MeetingStage.ANY else 202)
        assert Booking.objects.filter(young_person__email=email, start=at(when, "10:00")).exists()
        return len(captured)

    assert count(3, day) == count(30, day + timedelta(days=1))


def test_a_group_seat_through_the_api_costs_at_most_15_queries(
    client, make_counsellor, collectif, make_session, day, django_assert_max_num_queries
):
    made = []

    def count(counsellors, when):
        while len(made) < counsellors:
            made.append(
                make_counsellor("samira" if not made else f"c{len(made)}", formats=[collectif])
            )
        session = make_session(made[0], f"{when} 14:00")
        email = f"lea{counsellors}@example.org"
        payload = booking_payload(
            when, format=collectif.slug, start=at(when, "14:00").isoformat(), email=email
        )
        client.get("/rendez-vous/")  # as after the steps: the site and its structure cached
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post(client, payload)
        assert response.status_code == 202
        assert seats_booked(session) == 1
        return len(captured)

    assert count(3, day) == count(30, day + timedelta(days=1))


def test_a_partners_key_costs_one_query_and_a_write_a_minute(
    client, make_counsellor, day, django_assert_max_num_queries
):
    """Its lookup by digest, and the update of its last use, at most once a minute."""
    make_counsellor("samira")
    _row, key = ApiKey.create(name="Lycée", structure=Structure.default())
    keyed = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get("/rendez-vous/")  # the site and its structure cached

    with django_assert_max_num_queries(MAX_QUERIES + 2):
        assert post(client, booking_payload(day), **keyed).status_code == 201
    again = booking_payload(day, start=at(day, "11:00").isoformat(), email="sam@example.org")
    with django_assert_max_num_queries(MAX_QUERIES + 1):
        assert post(client, again, **keyed).status_code == 201
