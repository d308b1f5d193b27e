"""What a booking through the API costs in queries: the same for 3 or 30 counsellors."""

from datetime import timedelta

import pytest

from .support import booking_payload, post

# 2 or 3 to look up the format, the counsellor and the place, then as the website's
# last step (tests/booking/web/test_booking_queries.py).
MAX_QUERIES = 26


@pytest.mark.parametrize("counsellor", ["samira", "any"])
def test_a_booking_through_the_api_costs_the_same_few_queries(
    client, make_counsellor, day, counsellor, django_assert_max_num_queries
):
    made = []

    def count(counsellors, when):
        while len(made) < counsellors:
            made.append(make_counsellor("samira" if not made else f"c{len(made)}"))
        payload = booking_payload(
            when, counsellor=counsellor, email=f"lea{counsellors}@example.org"
        )
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post(client, payload)
        assert response.status_code == 201
        return len(captured)

    assert count(3, day) == count(30, day + timedelta(days=1))
