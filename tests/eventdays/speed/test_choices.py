"""The pages after the day: a young person's choices by their registration's link, a
pro's marks by their own link; refused in plain French keeping what was chosen, closed
outside their time, in the same queries for 3 or 30 young people."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.services.tokens import make_registration_token
from eventdays.models import Choice, Mark, ProFollowUp
from eventdays.speed import follow_ups, links
from tests.support import HOSTILE_VALUES

from .follow_ups_support import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def after(job_dating):
    return build(job_dating, 4)


def choices_url(registration):
    return reverse("eventdays:speed_choices", args=[make_registration_token(registration)])


def marks_url(pro):
    return reverse("eventdays:speed_marks", args=[links.pro_token(pro)])


def test_a_young_person_ranks_the_people_they_met_and_changes_their_mind(client, after):
    meeting, (p0, *_rest), (first, second, counsellor) = after
    page = client.get(choices_url(p0)).content.decode()
    assert "Avec qui tu t’es senti·e le mieux\u00a0?" in page
    assert "Sophie" not in page and "Garage Martin (Mécanique)" in page
    assert "J’accepte que Garage Martin reçoive mon prénom et mon contact" in page
    response = client.post(
        choices_url(p0),
        {"first": counsellor.pk, "second": first.pk, "third": "", "consents": [first.pk]},
    )
    assert response.status_code == 303
    assert "Tes choix sont enregistrés" in client.get(response["Location"]).content.decode()
    assert [(c.rank, c.pro, bool(c.consent_at)) for c in Choice.objects.order_by("rank")] == [
        (1, counsellor, False),
        (2, first, True),
    ]
    client.post(choices_url(p0), {"first": second.pk})
    assert [c.pro for c in Choice.objects.all()] == [second]


def test_the_same_person_twice_is_refused_and_what_was_chosen_stays(client, after):
    meeting, (p0, *_rest), (first, second, counsellor) = after
    follow_ups.set_choices(p0, [counsellor])
    response = client.post(choices_url(p0), {"first": first.pk, "second": first.pk})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tu as choisi deux fois la même personne\u00a0: choisis quelqu’un d’autre" in page
    assert f'<option value="{first.pk}" selected>' in page
    assert [c.pro for c in Choice.objects.all()] == [counsellor]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_values_in_the_choices_are_refused(client, after, value):
    meeting, (p0, *_rest), pros = after
    response = client.post(choices_url(p0), {"first": value, "consents": [value]})
    assert response.status_code == 400
    assert not Choice.objects.exists()


def test_choices_wait_for_the_end_of_the_day_and_close(client, job_dating):
    meeting, (p0, *_rest), pros = build(job_dating, 2)
    follow_ups.set_terms(meeting, choices_close_at=timezone.now() - timedelta(minutes=1))
    response = client.post(choices_url(p0), {"first": pros[0].pk})
    assert "Les choix sont fermés pour cette journée" in response.content.decode()
    assert not Choice.objects.exists()


def test_the_registration_page_links_to_the_choices_once_the_day_is_over(client, after):
    meeting, (p0, *_rest), pros = after
    page = client.get(
        reverse("booking:registration", args=[make_registration_token(p0)])
    ).content.decode()
    assert "Avec qui je me suis senti·e le mieux" in page and choices_url(p0) in page


def test_a_counsellor_marks_whom_they_follow_and_how_many(client, after):
    meeting, (p0, p1, *_rest), (first, second, counsellor) = after
    page = client.get(marks_url(counsellor)).content.decode()
    assert "P0 (tour" in page and "Combien pouvez-vous en suivre\u00a0?" in page
    assert "J’accepte de recevoir" not in page
    response = client.post(marks_url(counsellor), {"young": [p0.pk, p1.pk], "capacity": "1"})
    assert response.status_code == 303
    assert set(Mark.objects.values_list("registration", flat=True)) == {p0.pk, p1.pk}
    assert ProFollowUp.objects.get(pro=counsellor).capacity == 1


def test_an_employer_consents_to_receive_contacts(client, after):
    meeting, (p0, *_rest), (first, *_others) = after
    assert "Combien" not in client.get(marks_url(first)).content.decode()
    client.post(marks_url(first), {"young": [p0.pk], "consent": "on"})
    assert ProFollowUp.objects.get(pro=first).consent_at is not None
    client.post(marks_url(first), {"young": [p0.pk]})
    assert ProFollowUp.objects.get(pro=first).consent_at is None


def test_a_bad_capacity_is_refused_in_plain_words_and_the_ticks_stay(client, after):
    meeting, (p0, *_rest), (*_employers, counsellor) = after
    response = client.post(marks_url(counsellor), {"young": [p0.pk], "capacity": "beaucoup"})
    page = response.content.decode()
    assert response.status_code == 400 and "Indiquez un nombre, par exemple 3." in page
    assert f'value="{p0.pk}"' in page and "checked" in page
    assert not Mark.objects.exists()


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_values_in_the_marks_are_refused(client, after, value):
    meeting, registrations, (*_employers, counsellor) = after
    response = client.post(marks_url(counsellor), {"young": [value], "capacity": value})
    assert response.status_code == 400
    assert not Mark.objects.exists()


def test_a_pro_s_link_of_another_meeting_s_young_person_is_refused(client, after, job_dating):
    meeting, (p0, *_rest), (*_employers, counsellor) = after
    response = client.post(marks_url(counsellor), {"young": [p0.pk + 1000], "capacity": "2"})
    assert response.status_code == 400 and not Mark.objects.exists()


@pytest.mark.parametrize("people", [3, 30])
def test_the_pages_cost_the_same_queries_for_3_or_30(
    client, job_dating, people, django_assert_max_num_queries
):
    meeting, registrations, pros = build(job_dating, people)
    counsellor = pros[-1]
    follow_ups.set_choices(registrations[0], [counsellor])
    follow_ups.set_marks(counsellor, [row.pk for row, _r, _n in follow_ups.met_by(counsellor)])
    with django_assert_max_num_queries(13):
        assert client.get(choices_url(registrations[0])).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(marks_url(counsellor)).status_code == 200
