"""Fair limits on the booking page: a class, a front desk or an open day sharing one
connection books as many people as it brings; one person does not hold more than the
structure allows; failed attempts and one slot retried are stopped; and the page that
says "wait" keeps what was typed."""

from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from booking import services
from booking.models import Booking
from structures.models import Structure

from ..factories import seats_booked
from ..flow_support import (
    DETAILS,
    assert_shows,
    book,
    choices,
    free_slots,
    post_booking,
    text,
)
from .test_flow import working_day


def over_the_limit_message(limit):
    return services.TooManyBookings(limit).message


def test_a_class_of_25_books_from_one_connection(client, samira, individuel, structure, settings):
    """25 different people, 25 slots, one address (the test client's), even under a
    ceiling of 10 failed attempts: the few typos of the class count, the bookings made
    do not."""
    settings.BOOKING_RATE_LIMIT = (10, 3600)
    slots = free_slots(samira)[:25]

    for number, slot in enumerate(slots):
        params = choices(samira, individuel, structure, slot)
        if number % 10 == 0:  # a typo first, corrected at once
            typo = post_booking(client, params, consent="")
            assert typo.status_code == 400
        response = post_booking(client, params, email=f"eleve{number}@example.org")
        assert response.status_code == 303, f"person {number} could not book"

    assert Booking.objects.filter(source=Booking.Source.WEB).count() == 25


def test_a_class_of_25_takes_seats_in_one_group_session(
    client, make_counsellor, collectif, make_session
):
    """A group session answers by e-mail (history decides), so each request counts
    against the address whatever its outcome: 25 stay well under the default ceiling."""
    host = make_counsellor("nadia", formats=[collectif])
    session = make_session(host, f"{working_day(3)} 14:00", capacity=30)
    params = {"conseiller": "nadia", "format": collectif.slug, "creneau": f"groupe-{session.pk}"}

    statuses = [
        post_booking(client, params, email=f"eleve{number}@example.org").status_code
        for number in range(25)
    ]

    assert statuses == [303] * 25
    assert seats_booked(session) == 25 == session.bookings.count()


def test_25_bookings_for_one_phone_number_stop_at_the_limit(client, samira, individuel, structure):
    """A number alone has no private channel: the refusal is said on the page, with what
    was typed kept, and nothing more is booked."""
    slots = free_slots(samira)[:25]

    statuses = []
    for slot in slots:
        response = post_booking(
            client,
            choices(samira, individuel, structure, slot),
            email="",
            phone="06 12 34 56 78",
        )
        statuses.append(response.status_code)

    assert statuses == [303] * 3 + [400] * 22
    assert Booking.objects.count() == 3
    assert_shows(response, over_the_limit_message(3))
    assert 'value="06 12 34 56 78"' in text(response), "what was typed is kept"


def test_over_the_limit_an_e_mail_address_gets_the_neutral_page_and_the_reason_by_e_mail(
    client, samira, individuel, structure
):
    """Whoever types someone's address learns nothing new: the page is the one of every
    request answered by e-mail; only the address's owner reads why."""
    slots = free_slots(samira)
    for slot in slots[:3]:
        book(slot, email="lea@example.org")
    mail.outbox.clear()

    response = post_booking(client, choices(samira, individuel, structure, slots[3]))

    assert response.status_code == 303
    assert response["Location"] == reverse("booking:request_sent")
    assert Booking.objects.count() == 3
    (refusal,) = mail.outbox
    assert refusal.to == ["lea@example.org"]
    assert str(over_the_limit_message(3)) in refusal.body


def test_a_cancelled_appointment_frees_a_place_under_the_limit(
    client, samira, individuel, structure
):
    slots = free_slots(samira)
    made = [book(slot, email="", phone="0612345678") for slot in slots[:3]]
    services.cancel(made[0], by=services.Actor.PERSON)

    response = post_booking(
        client, choices(samira, individuel, structure, slots[3]), email="", phone="0612345678"
    )

    assert response.status_code == 303


def test_a_structure_sets_its_own_limit(client, samira, individuel, structure):
    """(`structure` is the tests' place at the structure; the setting is Structure's.)"""
    own = Structure.default()
    own.live_bookings_per_person = 1
    own.save()
    slots = free_slots(samira)
    params = [choices(samira, individuel, structure, slot) for slot in slots[:2]]

    first = post_booking(client, params[0], email="", phone="0612345678")
    second = post_booking(client, params[1], email="", phone="0612345678")

    assert (first.status_code, second.status_code) == (303, 400)
    assert_shows(second, over_the_limit_message(1))


def test_failed_attempts_get_429_with_the_form_as_it_was_typed(
    client, samira, individuel, structure, settings
):
    settings.BOOKING_RATE_LIMIT = (2, 3600)
    params = choices(samira, individuel, structure, free_slots(samira)[0])
    for _attempt in range(2):
        assert post_booking(client, params, consent="").status_code == 400

    response = post_booking(client, params, first_name="Zoé", message="Pour un stage")

    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    minutes = -(-wait // 60)
    assert_shows(
        response,
        ngettext(
            "Many attempts came from your connection in a short time. What you typed is "
            "kept: please send it again in %(minutes)s minute.",
            "Many attempts came from your connection in a short time. What you typed is "
            "kept: please send it again in %(minutes)s minutes.",
            minutes,
        )
        % {"minutes": minutes},
    )
    html = text(response)
    assert 'name="first_name"' in html and 'value="Zoé"' in html
    assert "Pour un stage" in html
    assert 'name="creneau"' in html, "the form can be sent again as it is"
    assert not Booking.objects.exists()
    other = client.post(
        reverse("booking:flow"),
        {**params, **DETAILS, "etape": "coordonnees"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 303, "another address has its own count"


def test_one_slot_refused_again_and_again_waits_while_the_others_stay_open(
    client, samira, individuel, structure, settings
):
    settings.BOOKING_SLOT_ATTEMPTS = (3, 3600)
    slots = free_slots(samira)
    book(slots[0], email="autre@example.org")
    taken = choices(samira, individuel, structure, slots[0])

    statuses = [post_booking(client, taken).status_code for _attempt in range(4)]

    assert statuses == [400, 400, 400, 429]
    assert_shows(post_booking(client, taken), gettext("Please check the form"))
    free = post_booking(client, choices(samira, individuel, structure, slots[1]))
    assert free.status_code == 303


def test_the_429_page_of_an_earlier_step_keeps_what_was_typed(
    client, samira, individuel, structure, settings
):
    """A choice that went missing is a failed attempt too; over the limit, the step is
    shown again with the details carried."""
    settings.BOOKING_RATE_LIMIT = (1, 3600)
    params = {"conseiller": samira.slug, "format": individuel.slug}
    assert post_booking(client, params).status_code == 200, "the place step, shown again"

    response = post_booking(client, params, first_name="Zoé")

    assert response.status_code == 429
    assert 'value="Zoé"' in text(response)
