"""The speed meetings' public pages: the pros' form by its link, a pro's page, a young
person's wishes and schedule (reached from their registration's page), the big screen;
each refused when its link is wrong, in the same queries for 3 or 30 people."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from booking.models import EventDate, Registration
from booking.services.tokens import make_registration_token
from eventdays.models import Pro, Sector, SpeedMeeting
from eventdays.speed import links, services
from tests.support import HOSTILE_VALUES

from .conftest import add_pros, young

pytestmark = pytest.mark.django_db

PRO = {
    "kind": "employer",
    "name": "Sophie",
    "company": "Garage Martin",
    "job": "Mécanique",
    "sector": Sector.REPAIR,
    "seats": "2",
    "email": "sophie@garage.example",
    "consent": "on",
}


def pros_url(meeting):
    return reverse("eventdays:speed_pros", args=[links.pros_token(meeting)])


def test_a_pro_takes_a_table_by_the_link_and_gets_their_page_by_e_mail(
    client, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pros_url(meeting), PRO)
    assert response.status_code == 303
    pro = Pro.objects.get(company="Garage Martin", name="Sophie")
    assert pro.table == 4 and pro.seats == 2 and pro.source == Pro.Source.LINK
    page = client.get(response["Location"]).content.decode()
    assert "Votre table\u00a0: table 4" in page
    assert "<" not in page.split("<title>")[1].split("</title>")[0]
    [sent] = mail.outbox
    assert sent.to == ["sophie@garage.example"] and "table 4" in sent.subject
    link = next(line for line in sent.body.splitlines() if "/journees/" in line)
    assert link.endswith(response["Location"])
    assert "Votre table\u00a0: table 4" in client.get(link).content.decode()


def test_a_refused_pro_form_keeps_what_was_typed_and_says_why(client, meeting):
    response = client.post(pros_url(meeting), {**PRO, "company": "", "seats": "40"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Donnez le nom de votre entreprise" in page or "entre 1 et 10" in page
    assert 'value="sophie@garage.example"' in page
    assert not Pro.objects.filter(name="Sophie").exists()


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_values_in_the_pro_form_are_refused_or_kept_as_text(client, meeting, value):
    response = client.post(pros_url(meeting), {**PRO, "name": value, "seats": value})
    assert response.status_code in (303, 400)


def test_the_pros_link_stops_when_a_new_one_is_made_and_once_the_day_starts(client, meeting):
    old = pros_url(meeting)
    services.new_pros_link(meeting)
    assert client.get(old).status_code == 404
    assert client.get(pros_url(meeting)).status_code == 200
    EventDate.objects.update(start=timezone.now() - timedelta(minutes=1))
    assert client.get(pros_url(meeting)).status_code == 410
    assert client.get("/journees/adopte-un-pro/pros/abc/").status_code == 404


def test_another_structure_s_meeting_is_not_found_on_this_site(client, meeting, other_structure):
    EventDate.objects.update(structure=other_structure)
    assert client.get(pros_url(meeting)).status_code == 404


def test_the_registration_page_leads_to_the_wishes_which_lead_to_the_schedule(client, meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    token = make_registration_token(lina)
    manage = client.get(reverse("booking:registration", args=[token])).content.decode()
    wishes_url = reverse("eventdays:speed_wishes", args=[token])
    assert wishes_url in manage

    garage = meeting.pros.get(table=1)
    response = client.post(wishes_url, {"sectors": [Sector.HEALTH], "pros": [garage.pk]})
    assert response.status_code == 303
    assert {(wish.sector, wish.pro_id) for wish in lina.speed_wishes.all()} == {
        (Sector.HEALTH, None),
        ("", garage.pk),
    }
    page = client.get(response["Location"]).content.decode()
    assert "Ton programme n’est pas encore prêt" in page


def test_too_many_wishes_are_refused_and_kept_on_the_form(client, meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    url = reverse("eventdays:speed_wishes", args=[make_registration_token(lina)])
    pros = [pro.pk for pro in meeting.pros.all()]
    response = client.post(url, {"sectors": [Sector.HEALTH], "pros": pros})
    assert response.status_code == 400
    assert "jusqu’à 3" in response.content.decode()
    assert not lina.speed_wishes.exists()


def test_the_schedule_says_each_round_its_time_table_and_pro(client, meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    services.draft(meeting)
    services.publish(meeting)
    url = reverse("eventdays:speed_schedule", args=[make_registration_token(lina)])
    page = client.get(url).content.decode()
    seat = lina.speed_seats.filter(published=True).select_related("pro").first()
    assert f"table {seat.pro.table} · {seat.pro.label}" in page
    assert "Tour 4" in page


def test_a_registration_of_another_date_has_no_schedule_page(client, home, meeting):
    from tests.booking.registrations_support import open_event, register

    other = register(open_event(home, title="Portes ouvertes"), "Sami")
    url = reverse("eventdays:speed_schedule", args=[make_registration_token(other)])
    assert client.get(url).status_code == 404
    manage = client.get(reverse("booking:registration", args=[make_registration_token(other)]))
    assert "/journees/" not in manage.content.decode()


def screen_page(client, meeting):
    url = reverse("eventdays:speed_screen", args=[links.screen_token(meeting)])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_big_screen_shows_the_round_the_countdown_and_who_is_on_a_break(
    client, job_dating, monkeypatch
):
    people = young(job_dating, 5)
    meeting = services.set_up(EventDate.objects.get(), rounds=3)
    add_pros(meeting, 2)  # 4 seats for 5: one on a break each round
    services.draft(meeting)
    services.publish(meeting)
    at = meeting.first_round_at + timedelta(minutes=3, seconds=30)
    monkeypatch.setattr(timezone, "now", lambda: at)

    page = screen_page(client, meeting)
    assert "<h1>Tour 1</h1>" in page
    assert 'data-seconds="390"' in page  # 6 min 30 s left
    assert "En pause ce tour" in page
    breaks = [p for p in people if not p.speed_seats.filter(published=True, round=0).exists()]
    assert len(breaks) == 1
    assert 'http-equiv="refresh"' in page  # without JavaScript too


def test_pages_cost_the_same_queries_for_3_and_30(
    client, job_dating, django_assert_max_num_queries
):
    counts = {}
    for count, tables in ((3, 3), (30, 10)):
        SpeedMeeting.objects.all().delete()
        Registration.objects.update(status=Registration.Status.CANCELLED_BY_STAFF)
        person = young(job_dating, count, start=100 * count)[0]
        meeting = services.set_up(EventDate.objects.get(), rounds=6)
        pro = add_pros(meeting, tables)[0]
        services.set_wishes(person, pros=[pro])
        services.draft(meeting)
        services.publish(meeting)
        token = make_registration_token(person)
        pages = {
            "schedule": reverse("eventdays:speed_schedule", args=[token]),
            "wishes": reverse("eventdays:speed_wishes", args=[token]),
            "screen": reverse("eventdays:speed_screen", args=[links.screen_token(meeting)]),
            "pro": reverse("eventdays:speed_pro", args=[links.pro_token(pro)]),
            "pros": pros_url(meeting),
        }
        for name, address in pages.items():
            client.get(address)  # what the first visit caches
            with django_assert_max_num_queries(12) as captured:
                assert client.get(address).status_code == 200
            counts[name, count] = len(captured)
    for name in pages:
        assert counts[name, 3] == counts[name, 30], counts
