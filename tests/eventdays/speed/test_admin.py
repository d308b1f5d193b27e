"""The speed meetings in the admin: set up on a job dating's date, pros added and
changed, the draft built, shown with its figures and broken rules in words, moved and
published, the re-plan from the check-in, the next round, the printed sheets; only for
the structure's staff, in the same queries for 3 or 30 young people."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import EventDate, Registration
from booking.services import registrations
from eventdays.models import Pro, Seat, SpeedMeeting
from eventdays.speed import services
from tests.booking.factories import UserFactory

from .conftest import add_pros, young

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"eventdays_speed:{name}", args=args)


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_staff_set_a_job_dating_date_up_before_anyone_registers(manager_client, job_dating):
    page = text_of(manager_client.get(url("index")))
    assert "Organiser en speed meeting" in page
    key = next(iter(job_dating.upcoming_registration_occurrences(timezone.now())))
    response = manager_client.post(url("index"), {"page": job_dating.pk, "key": key})
    meeting = SpeedMeeting.objects.get()
    assert response["Location"] == url("meeting", meeting.pk)
    assert meeting.first_round_at == meeting.date.start
    assert url("index") in text_of(manager_client.get("/admin/"))


def test_a_date_gone_is_said_plainly(manager_client, job_dating):
    response = manager_client.post(url("index"), {"page": job_dating.pk, "key": "date-999"})
    assert response.status_code == 302
    assert not SpeedMeeting.objects.exists()


def test_staff_add_and_change_a_pro(manager_client, meeting, counsellor):
    data = {"kind": "employer", "name": "Sophie", "company": "", "seats": "2", "sector": ""}
    response = manager_client.post(url("add_pro", meeting.pk), data)
    assert response.status_code == 400
    assert "Donnez le nom de votre entreprise" in response.content.decode()

    data = {"kind": "counsellor", "counsellor": counsellor.pk, "name": "", "seats": "3"}
    response = manager_client.post(url("add_pro", meeting.pk), data)
    assert response.status_code == 302
    pro = meeting.pros.get(kind=Pro.Kind.COUNSELLOR)
    assert pro.name == "Samira" and pro.table == 4

    response = manager_client.post(url("pro", meeting.pk, pro.pk), {**data, "seats": "1"})
    pro.refresh_from_db()
    assert pro.seats == 1
    manager_client.post(url("delete_pro", meeting.pk, pro.pk))
    assert not meeting.pros.filter(pk=pro.pk).exists()


def test_the_draft_is_shown_moved_with_its_broken_rule_in_words_then_published(
    manager_client, meeting
):
    manager_client.post(url("plan", meeting.pk), {"action": "draft"})
    page = text_of(manager_client.get(url("meeting", meeting.pk)))
    assert "Le brouillon respecte toutes les règles." in page
    assert "Rotation simple" in page

    lina = Registration.objects.get(young_person__first_name="Lina")
    first = Seat.objects.get(registration=lina, published=False, round=0).pro
    manager_client.post(
        url("move", meeting.pk), {"registration": lina.pk, "round": 1, "pro": first.pk}
    )
    page = text_of(manager_client.get(url("meeting", meeting.pk)))
    assert f"Lina rencontre deux fois {first.label} (tours 1 et 2)" in page

    manager_client.post(url("plan", meeting.pk), {"action": "publish"})
    assert not Seat.objects.filter(published=True).exists()
    manager_client.post(url("move", meeting.pk), {"registration": lina.pk, "round": 1, "pro": ""})
    manager_client.post(url("plan", meeting.pk), {"action": "publish"})
    assert Seat.objects.filter(published=True).exists()
    assert not Seat.objects.filter(published=True, registration=lina, round=1).exists()


def test_the_re_plan_seats_a_walk_in_from_the_check_in(manager_client, meeting):
    manager_client.post(url("plan", meeting.pk), {"action": "draft"})
    manager_client.post(url("plan", meeting.pk), {"action": "publish"})
    date = EventDate.objects.get()
    nour = registrations.register_walk_in(
        date, mode="on_site", first_name="Nour", email="nour@example.org"
    ).registration
    manager_client.post(url("plan", meeting.pk), {"action": "replan"})
    manager_client.post(url("plan", meeting.pk), {"action": "publish"})
    assert Seat.objects.filter(published=True, registration=nour).count() >= 3


def test_staff_start_the_next_round(manager_client, meeting):
    manager_client.post(url("plan", meeting.pk), {"action": "draft"})
    manager_client.post(url("plan", meeting.pk), {"action": "publish"})
    manager_client.post(url("plan", meeting.pk), {"action": "next_round", "starting": "0"})
    meeting.refresh_from_db()
    assert meeting.round_playing == 0 and meeting.round_started_at is not None
    page = text_of(manager_client.get(url("meeting", meeting.pk)))
    assert "Tour 1 en cours" in page
    assert "Lancer le tour 2 maintenant" in page


def test_printed_schedules_have_a_qr_code_each_and_the_cards_a_table_each(manager_client, meeting):
    manager_client.post(url("plan", meeting.pk), {"action": "draft"})
    manager_client.post(url("plan", meeting.pk), {"action": "publish"})
    page = text_of(manager_client.get(url("print_schedules", meeting.pk)))
    assert page.count("<svg") == 2
    assert "Lina" in page and "Yanis" in page
    cards = text_of(manager_client.get(url("print_tables", meeting.pk)))
    assert "Table 3" in cards and "Garage Martin" in cards


def test_only_the_structure_s_staff_reach_its_meetings(client, meeting, other_structure, settings):
    settings.ALLOWED_HOSTS = ["testserver", "sud.localhost"]
    outsider = UserFactory(is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    assert client.get(url("meeting", meeting.pk)).status_code in (302, 403)

    elsewhere = Client()
    member = UserFactory(username="sud", groups=["Responsables"])
    other_structure.members.add(member)
    elsewhere.force_login(member)
    response = elsewhere.get(url("meeting", meeting.pk), HTTP_HOST="sud.localhost")
    assert response.status_code in (403, 404)


def test_the_meeting_page_costs_the_same_queries_for_3_and_30(
    manager_client, job_dating, django_assert_max_num_queries
):
    counts = {}
    for count, tables in ((3, 3), (30, 10)):
        SpeedMeeting.objects.all().delete()
        Registration.objects.update(status=Registration.Status.CANCELLED_BY_STAFF)
        young(job_dating, count, start=100 * count)
        meeting = services.set_up(EventDate.objects.get(), rounds=8)
        add_pros(meeting, tables)
        services.draft(meeting)
        services.publish(meeting)
        for name in ("meeting", "print_schedules", "print_tables"):
            manager_client.get(url(name, meeting.pk))  # what the first visit caches
            with django_assert_max_num_queries(25) as captured:
                text_of(manager_client.get(url(name, meeting.pk)))
            counts[name, count] = len(captured)
    for name in ("meeting", "print_schedules", "print_tables"):
        assert counts[name, 3] == counts[name, 30], counts


def test_a_first_round_started_refuses_a_new_draft(manager_client, meeting):
    manager_client.post(url("plan", meeting.pk), {"action": "draft"})
    SpeedMeeting.objects.update(first_round_at=timezone.now() - timedelta(minutes=5))
    response = manager_client.post(url("plan", meeting.pk), {"action": "draft"}, follow=True)
    assert "replanifiez-la plutôt" in response.content.decode()


def test_the_rounds_and_times_are_changed_and_fewer_rounds_drop_their_seats(
    manager_client, meeting
):
    manager_client.post(url("plan", meeting.pk), {"action": "draft"})
    page = text_of(manager_client.get(url("settings", meeting.pk)))
    assert 'type="datetime-local"' in page
    start = timezone.localtime(meeting.date.start) + timedelta(minutes=30)
    data = {
        "rounds": "2",
        "round_minutes": "8",
        "change_minutes": "2",
        "first_round_at": start.strftime("%Y-%m-%dT%H:%M"),
    }
    assert manager_client.post(url("settings", meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.rounds, meeting.round_minutes) == (2, 8)
    assert meeting.first_round_at == start.replace(second=0, microsecond=0)
    assert not Seat.objects.filter(round__gte=2).exists()
    response = manager_client.post(url("settings", meeting.pk), {**data, "rounds": "0"})
    assert response.status_code == 400


def test_staff_mark_a_pro_not_there_at_check_in_and_back(manager_client, meeting):
    pro = meeting.pros.get(table=2)
    page = text_of(manager_client.get(url("meeting", meeting.pk)))
    assert f"Absent·e\u00a0: {pro.label}" in page

    response = manager_client.post(url("pro_gone", meeting.pk, pro.pk))
    assert response.status_code == 302
    pro.refresh_from_db()
    assert pro.gone_from == 0  # the day has not started: they did not come
    page = text_of(manager_client.get(url("meeting", meeting.pk)))
    assert "Absent·e à partir du tour 1" in page and "replanifiez" in page

    manager_client.post(url("pro_gone", meeting.pk, pro.pk), {"back": "1"})
    pro.refresh_from_db()
    assert pro.gone_from is None
