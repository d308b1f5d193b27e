"""A full group session in the booking flow: shown full, its waiting list joined with
the event dates' form, its offer taken from the link sent, the booking shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.models import Booking, Notification, Registration
from booking.services.tokens import make_registration_token
from structures.models import Structure

from ..flow_support import flow_url, text

Status = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def full(make_counsellor, collectif, make_session):
    """Nadia's session in 3 days, its one seat booked by Ana."""
    host = make_counsellor("nadia", formats=[collectif])
    session = make_session(host, f"{timezone.localdate() + timedelta(days=3)} 14:00", capacity=1)
    services.book(group_session=session, first_name="Ana", email="ana@example.org", consent=True)
    return session


def list_url(session):
    return reverse("booking:session_waiting_list", args=[session.pk])


def typed(name="Léa", **fields):
    return {
        "first_name": name,
        "email": "",
        "phone": "06 12 34 56 78",
        "consent": "on",
        **fields,
    }


def test_a_full_session_stays_in_the_flow_with_its_waiting_list(client, full, collectif):
    html = text(client.get(flow_url(conseiller="nadia", format=collectif.slug)))
    assert f'value="groupe-{full.pk}"' not in html  # no seat to choose
    assert "Complet" in html
    assert f'href="{list_url(full)}"' in html
    assert "Rejoindre la liste d’attente" in html


def test_joining_by_a_number_we_text_never_tells_whether_it_is_already_on_the_list(
    client, full, sms_outbox, django_capture_on_commit_callbacks
):
    """As for event dates: the page answers a number alone the same way whether or not
    it holds a place; the number learns its place, or that it had one, by SMS."""

    def answer(phone):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(list_url(full), typed(phone=phone))
        return response.status_code, response["Location"]

    first, again = answer("06 12 34 56 78"), answer("06 12 34 56 78")
    assert first == again == answer("06 98 76 54 32")
    assert first[1] == reverse("booking:registration_sent")
    lea = Registration.objects.filter(young_person__phone="+33612345678").get()
    assert (lea.status, lea.date.group_session) == (Status.WAITING, full)
    told = [message.text for message in sms_outbox if message.to == "+33612345678"]
    assert len(told) == 2 and "déjà inscrit" in told[1]


def test_a_number_the_structure_cannot_text_sees_its_place_on_the_page(client, full):
    Structure.objects.update(sms_enabled=False)
    response = client.post(list_url(full), typed())
    assert response.status_code == 303
    page = client.get(response["Location"])
    lea = Registration.objects.get(young_person__first_name="Léa")
    assert (lea.status, lea.date.group_session) == (Status.WAITING, full)
    assert "numéro 1" in text(page)


def test_a_refused_form_keeps_what_was_typed_and_says_why(client, full):
    response = client.post(list_url(full), typed(consent=""))
    assert response.status_code == 400
    html = text(response)
    assert 'value="Léa"' in html
    assert list(response.context["form"].errors) == ["consent"]
    assert not Registration.objects.exists()


def test_with_an_address_the_answer_is_the_same_whether_already_on_the_list(client, full):
    first = client.post(list_url(full), typed(email="lea@example.org", phone=""))
    again = client.post(list_url(full), typed(email="lea@example.org", phone=""))
    assert first.status_code == again.status_code == 303
    assert first["Location"] == again["Location"] == reverse("booking:registration_sent")
    assert Registration.objects.filter(status=Status.WAITING).count() == 1


def test_the_offer_from_the_message_becomes_a_booking_shown_on_its_page(client, full):
    client.post(list_url(full), typed())
    services.cancel(full.bookings.get(), by="person")
    lea = Registration.objects.get(young_person__first_name="Léa")
    assert lea.status == Status.OFFERED
    assert Notification.objects.filter(registration=lea, kind="reg_offered").exists()

    url = reverse("booking:registration", args=[make_registration_token(lea, sent=True)])
    answer = {"revision": str(lea.sequence)}
    response = client.post(url + "prendre/", answer)
    assert response.status_code == 303
    booking = Booking.objects.get(young_person__first_name="Léa")
    assert (booking.group_session, booking.status) == (full, Booking.Status.CONFIRMED)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["booking"] == booking

    assert client.post(url + "prendre/", answer).status_code == 400  # never replayed
    registration_page = client.get(url)
    assert "Voir ton rendez-vous" in text(registration_page)


def test_another_structures_session_has_no_list_here(client, full, other_structure):
    full.format.structure = other_structure
    full.format.save()
    assert client.get(list_url(full)).status_code == 404


def test_a_seat_freed_shows_in_the_flow_at_once(client, full, collectif):
    url = flow_url(conseiller="nadia", format=collectif.slug)
    assert f'value="groupe-{full.pk}"' not in text(client.get(url))
    services.cancel(full.bookings.get(), by="person")
    assert f'value="groupe-{full.pk}"' in text(client.get(url))


def test_the_slot_step_costs_the_same_with_3_or_30_sessions_full_or_not(
    client, make_counsellor, collectif, make_session, django_assert_max_num_queries
):
    host = make_counsellor("nadia", formats=[collectif])
    url = flow_url(conseiller="nadia", format=collectif.slug)
    made = []

    def count(sessions):
        while len(made) < sessions:
            day = timezone.localdate() + timedelta(days=2 + len(made) // 3)
            session = make_session(host, f"{day} {14 + len(made) % 3}:00", capacity=1)
            if len(made) % 2:
                services.book(
                    group_session=session,
                    first_name="Ana",
                    email=f"ana{len(made)}@example.org",
                    consent=True,
                )
            made.append(session)
        client.get(url)  # the site and its structure cached, as after any first visit
        with django_assert_max_num_queries(30) as captured:
            html = text(client.get(url))
        assert "Complet" in html
        return len(captured)

    assert count(3) == count(30)
