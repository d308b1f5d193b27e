"""After the day in the admin: staff set when the choices close and the invitations'
format, see what sending gives with the reason for everyone without a follow-up, send
once however many times they press, and read the figures on the meeting's page; only
the structure's staff, in the same queries for 3 or 30 young people."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from booking.models import Invitation
from eventdays.models import FollowUpTerms, Outcome
from eventdays.speed import follow_ups
from tests.booking.factories import FormatFactory, UserFactory

from .follow_ups_support import build

pytestmark = pytest.mark.django_db

PREVIEW_QUERIES = 24
SENT_QUERIES = 21
MEETING_QUERIES = 21


def page_url(meeting):
    return reverse("eventdays_speed_after:follow_ups", args=[meeting.pk])


@pytest.fixture
def after(job_dating):
    return build(job_dating, 4)


def choose(after):
    meeting, (p0, p1, p2, p3), (first, second, counsellor) = after
    follow_ups.set_choices(p0, [counsellor, first])
    follow_ups.set_choices(p1, [counsellor])
    follow_ups.set_choices(p2, [second])
    follow_ups.set_marks(counsellor, [p0.pk, p1.pk], capacity=1)


def test_staff_see_what_sending_gives_then_send_once(
    manager_client, after, django_capture_on_commit_callbacks
):
    choose(after)
    meeting = after[0]
    page = manager_client.get(page_url(meeting)).content.decode()
    assert "Invitation à prendre rendez-vous avec Samira" in page
    assert "conseiller·e complet·e\u00a0: un·e conseiller·e de la structure te recontacte" in page
    assert "pas de choix réciproque\u00a0: un·e conseiller·e de la structure te recontacte" in page
    assert "Jeunes avec au moins un choix réciproque" in page and "50\u00a0%" in page
    for _press in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = manager_client.post(page_url(meeting), {"action": "send"}, follow=True)
    page = response.content.decode()
    assert "Rien n’a été envoyé\u00a0: les suivis l’étaient déjà." in page
    assert Invitation.objects.count() == 1 and Outcome.objects.count() == 4
    assert "Ce qui a été envoyé" in page and "pas encore" in page


def test_staff_set_the_closing_time_and_the_format(manager_client, after):
    meeting = after[0]
    other = FormatFactory(name="Visio")
    closes = timezone.localtime() + timedelta(days=3)
    response = manager_client.post(
        page_url(meeting),
        {
            "choices_close_at_0": closes.date().isoformat(),
            "choices_close_at_1": closes.strftime("%H:%M"),
            "format": other.pk,
        },
    )
    assert response.status_code == 302
    terms = FollowUpTerms.objects.get(meeting=meeting)
    assert terms.format == other
    assert abs(terms.choices_close_at - closes) < timedelta(minutes=1)


def test_a_bad_closing_time_is_refused_in_plain_words_and_kept(manager_client, after):
    meeting = after[0]
    response = manager_client.post(
        page_url(meeting), {"choices_close_at_0": "demain", "choices_close_at_1": "10:00"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'value="demain"' in page
    assert not FollowUpTerms.objects.exists()


def test_the_meeting_page_shows_the_figures_once_the_day_is_over(manager_client, after):
    choose(after)
    meeting = after[0]
    page = manager_client.get(
        reverse("eventdays_speed:meeting", args=[meeting.pk])
    ).content.decode()
    assert "Après la journée" in page and page_url(meeting) in page


def test_only_the_structure_s_staff_reach_the_follow_ups(client, after):
    outsider = UserFactory(is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    assert client.get(page_url(after[0])).status_code in (302, 403)
    assert client.post(page_url(after[0]), {"action": "send"}).status_code in (302, 403)
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("people", [3, 30])
def test_the_follow_ups_page_costs_the_same_queries_for_3_and_30(
    manager_client, job_dating, people, django_assert_max_num_queries
):
    meeting, registrations, pros = build(job_dating, people)
    counsellor = pros[-1]
    for registration in registrations:
        follow_ups.set_choices(registration, follow_ups.met(registration)[:2])
    follow_ups.set_marks(counsellor, [row.pk for row, *_rest in follow_ups.met_by(counsellor)])
    manager_client.get(page_url(meeting))  # what the first visit caches
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        assert manager_client.get(page_url(meeting)).status_code == 200
    follow_ups.send(meeting)
    with django_assert_max_num_queries(SENT_QUERIES):
        assert manager_client.get(page_url(meeting)).status_code == 200
    meeting_url = reverse("eventdays_speed:meeting", args=[meeting.pk])
    manager_client.get(meeting_url)
    with django_assert_max_num_queries(MEETING_QUERIES):
        assert manager_client.get(meeting_url).status_code == 200
