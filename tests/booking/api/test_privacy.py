"""Through the API too, nobody learns another person's data: no stored first name, and
the same answer whether the contact has booked before or not."""

import pytest
from django.core import mail

from booking import services
from booking.models import Booking, Format, Place
from structures.models import Structure

from ..factories import seats_booked
from ..flow_support import book, free_slots
from .support import at, booking_payload, post

VICTORIA = "victoria@example.org"
NEWCOMER = "nouvelle@example.org"


def test_no_answer_names_the_person(client, samira, day):
    book(free_slots(samira)[0], email=VICTORIA, first_name="Victoria")

    response = post(client, booking_payload(day, first_name="Attaquant", email=VICTORIA.upper()))

    assert response.status_code == 201
    assert "Victoria" not in response.content.decode()


@pytest.mark.parametrize("stage", [Format.MeetingStage.FIRST, Format.MeetingStage.FOLLOW_UP])
def test_a_format_for_one_stage_answers_alike_for_a_known_and_an_unknown_contact(
    client, samira, individuel, day, stage, django_capture_on_commit_callbacks
):
    staged = Format.objects.create(
        structure=Structure.default(),
        slug="test-etape",
        name="Étape",
        duration_minutes=30,
        place_kinds=[Place.Kind.STRUCTURE],
        meeting_stage=stage,
    )
    samira.formats.add(staged)
    (met,) = [slot for slot in free_slots(samira, individuel) if slot.start == at(day, "09:00")]
    book(met, email=VICTORIA)  # Victoria meets us before
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        known = post(client, booking_payload(day, format=staged.slug, email=VICTORIA))
        unknown = post(
            client,
            booking_payload(
                day, format=staged.slug, email=NEWCOMER, start=at(day, "11:00").isoformat()
            ),
        )

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    # The rule holds: exactly one of them is booked, and each is told by e-mail.
    booked = set(
        Booking.objects.filter(format=staged).values_list("young_person__email", flat=True)
    )
    assert booked == ({NEWCOMER} if stage == Format.MeetingStage.FIRST else {VICTORIA})
    refused = VICTORIA if stage == Format.MeetingStage.FIRST else NEWCOMER
    (refusal,) = [message for message in mail.outbox if message.to == [refused]]
    assert individuel.name in refusal.body, "what they can book instead"
    assert any(message.to == list(booked) for message in mail.outbox), "the confirmation"


def test_a_group_seat_answers_alike_whether_the_contact_holds_one_or_not(
    client, samira, collectif, make_session, day
):
    samira.formats.add(collectif)
    session = make_session(samira, f"{day} 14:00", capacity=6)
    services.book(first_name="Victoria", email=VICTORIA, consent=True, group_session=session)
    payload = booking_payload(day, format=collectif.slug, start=at(day, "14:00").isoformat())

    known = post(client, {**payload, "email": VICTORIA})
    unknown = post(client, {**payload, "email": NEWCOMER})

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert seats_booked(session) == 2


def test_an_answer_by_e_mail_needs_an_address(client, samira, collectif, make_session, day):
    samira.formats.add(collectif)
    make_session(samira, f"{day} 14:00")
    payload = booking_payload(
        day, format=collectif.slug, start=at(day, "14:00").isoformat(), email=""
    )

    response = post(client, {**payload, "phone": "0612345678"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["email"]
    assert not Booking.objects.exists()
