"""What the website's last step costs in queries: the same for 3 or 30 counsellors."""

import pytest

from booking.models import Booking

from ..flow_support import choices, free_slots, post_booking

# 2 or 3 for the choices, 2 to open and close the transaction, 4 for the person, 1 for
# their history, 7 for the availability (booking.scheduling.loading), 1 to spread the
# first available's bookings, 3 to write the booking and 5 to record its notification:
# the time is checked once, by the booking service.
MAX_QUERIES = 26


@pytest.mark.parametrize("chosen", [True, False], ids=["chosen", "first-available"])
def test_a_booking_from_the_last_step_costs_the_same_few_queries(
    client, make_counsellor, individuel, structure, chosen, django_assert_max_num_queries
):
    made = []

    def count(counsellors, index):
        while len(made) < counsellors:
            made.append(make_counsellor("samira" if not made else f"c{len(made)}"))
        slot = free_slots(made[0])[index]
        params = choices(made[0] if chosen else None, individuel, structure, slot)
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post_booking(client, params, email=f"lea{counsellors}@example.org")
        assert response.status_code == 303
        assert Booking.objects.filter(start=slot.start).exists()
        return len(captured)

    assert count(3, 0) == count(30, 4)
