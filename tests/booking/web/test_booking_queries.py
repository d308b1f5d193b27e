"""What the website's last step costs in queries: at most 15, the same for 3 or 30
counsellors, for a first meeting, a follow-up and a group session alike, the site and
its structure (and the list of sites the page cache renews) read from the cache.

The 14 or 15: 2 or 3 for the choices (counsellor, format, places or session), the
transaction's 2 (here the test's savepoint), 2 for the person (an INSERT that skips a
known contact, then one read with their history, then 1 counting their appointments
to come, after locking their row on PostgreSQL), 2 to check the time (the rules of
that day, with their counsellors and accounts, its closures and each counsellor's
upcoming bookings, then what is busy then) or 1 for a session (with its closure, its
counsellor and account, their absence and the person's seat, then 1 for the seat
counter), the booking's INSERT (under a savepoint, 2 more, while another free
counsellor is left to try), and for `booking_changed` its savepoint (2) and the
notification's INSERT; whether the counsellor wants an e-mail is known from the
account read with them (booking.notifications.counsellors; theirs is one more INSERT,
and these have no account). The time is checked once, by the booking service, even
when the answer goes by e-mail."""

import pytest

from booking import services
from booking.models import Booking, Format, Notification

from ..factories import FormatFactory, YoungPersonFactory, seats_booked
from ..flow_support import choices, free_slots, post_booking
from .test_flow import working_day

MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def sites_cached(settings):
    """As in production: each host's site kept in the cache (core.sites)."""
    settings.FRAGMENT_CACHE_SECONDS = 300


@pytest.mark.parametrize("chosen", [True, False], ids=["chosen", "first-available"])
@pytest.mark.parametrize("stage", [Format.MeetingStage.ANY, Format.MeetingStage.FIRST])
def test_a_booking_from_the_last_step_costs_at_most_15_queries(
    client, make_counsellor, structure, chosen, stage, django_assert_max_num_queries
):
    """A format for any meeting, answered on the page, and one for first meetings only,
    answered by e-mail."""
    fmt = FormatFactory(meeting_stage=stage)

    made = []

    def count(counsellors, index):
        while len(made) < counsellors:
            made.append(make_counsellor("samira" if not made else f"c{len(made)}", formats=[fmt]))
        slot = free_slots(made[0], fmt)[index]
        params = choices(made[0] if chosen else None, fmt, structure, slot)
        email = f"lea{counsellors}@example.org"
        client.get("/rendez-vous/")  # as after the steps: the site and its structure cached
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post_booking(client, params, email=email)
        assert response.status_code == 303
        assert Booking.objects.filter(start=slot.start, young_person__email=email).exists()
        return len(captured)

    assert count(3, 0) == count(30, 4)


@pytest.mark.parametrize("chosen", [True, False], ids=["chosen", "first-available"])
def test_a_follow_up_from_the_last_step_costs_at_most_15_queries(
    client, make_counsellor, individuel, structure, chosen, django_assert_max_num_queries
):
    """A returning person booking a follow-up format: the answer goes by e-mail."""
    follow_up = FormatFactory(meeting_stage=Format.MeetingStage.FOLLOW_UP)
    made = []

    def count(counsellors, index):
        while len(made) < counsellors:
            made.append(
                make_counsellor(
                    "samira" if not made else f"c{len(made)}", formats=[individuel, follow_up]
                )
            )
        email = f"lea{counsellors}@example.org"
        first = free_slots(made[0], individuel)[index]
        services.book(
            first_name="Léa",
            email=email,
            consent=True,
            format=individuel,
            start=first.start,
            place=structure,
            counsellor=made[0],
        )
        slot = free_slots(made[0], follow_up)[index + 1]
        params = choices(made[0] if chosen else None, follow_up, structure, slot)
        client.get("/rendez-vous/")  # as after the steps: the site and its structure cached
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post_booking(client, params, email=email)
        assert response.status_code == 303
        assert Booking.objects.filter(
            start=slot.start, format=follow_up, young_person__email=email
        ).exists()
        return len(captured)

    assert count(3, 0) == count(30, 4)


def test_a_group_seat_from_the_last_step_costs_at_most_15_queries(
    client, make_counsellor, collectif, make_session, django_assert_max_num_queries
):
    made = []

    def count(counsellors, days_ahead):
        while len(made) < counsellors:
            made.append(
                make_counsellor("nadia" if not made else f"c{len(made)}", formats=[collectif])
            )
        session = make_session(made[0], f"{working_day(days_ahead)} 14:00")
        params = {
            "conseiller": "nadia",
            "format": collectif.slug,
            "creneau": f"groupe-{session.pk}",
        }
        email = f"lea{counsellors}@example.org"
        client.get("/rendez-vous/")  # as after the steps: the site and its structure cached
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post_booking(client, params, email=email)
        assert response.status_code == 303
        assert seats_booked(session) == 1
        assert Booking.objects.filter(group_session=session, young_person__email=email).exists()
        return len(captured)

    assert count(3, 3) == count(30, 4)


def test_a_booking_by_phone_records_its_sms_within_the_same_15_queries(
    client, make_counsellor, individuel, structure, django_assert_max_num_queries
):
    """The SMS is recorded like the e-mail: the structure it needs is the format's,
    already read, so a number costs no query more than an address."""
    made = []

    def count(counsellors, index):
        while len(made) < counsellors:
            made.append(make_counsellor("samira" if not made else f"c{len(made)}"))
        slot = free_slots(made[0], individuel)[index]
        params = choices(made[0], individuel, structure, slot)
        phone = f"+337812345{counsellors:02d}"
        client.get("/rendez-vous/")
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post_booking(client, params, email="", phone=phone)
        assert response.status_code == 303
        assert Notification.objects.filter(
            booking__young_person__phone=phone, channel="sms"
        ).exists()
        return len(captured)

    assert count(3, 0) == count(30, 4)


@pytest.mark.parametrize("known", [False, True], ids=["new", "known-by-both"])
def test_a_booking_with_both_contacts_costs_at_most_15_queries(
    client, make_counsellor, individuel, structure, known, django_assert_max_num_queries
):
    """With both contacts, the person is first looked for by either
    (`contacts.find_or_create_person`): 1 query for someone known by both, 3 for someone
    new (that read, then the INSERT and the read of one contact)."""
    made = []

    def count(counsellors, index):
        while len(made) < counsellors:
            made.append(make_counsellor("samira" if not made else f"c{len(made)}"))
        email, phone = f"lea{counsellors}@example.org", f"+3361234567{counsellors % 10}"
        if known:
            YoungPersonFactory(email=email, phone=phone, preferred_channel="sms")
        slot = free_slots(made[0], individuel)[index]
        params = choices(made[0], individuel, structure, slot)
        client.get("/rendez-vous/")  # as after the steps: the site and its structure cached
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = post_booking(
                client, params, email=email, phone=phone, preferred_channel="sms"
            )
        assert response.status_code == 303
        assert Booking.objects.filter(start=slot.start, young_person__phone=phone).exists()
        return len(captured)

    assert count(3, 0) == count(30, 4)
