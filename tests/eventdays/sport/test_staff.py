"""Staff run the sport day from the admin: set it up, draw, edit, plan (and relax the
rule the planner names), publish, print the cards, invite a player to a follow-up."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import EventDate, Invitation
from eventdays.sport.models import Match, SportDay, Team
from tests.booking.factories import counsellor_offering_one_format

from .support import sport_day, sport_event

pytestmark = pytest.mark.django_db
BASE = "/admin/eventdays/sport/"


def act(client, day, action, **data):
    return client.post(f"{BASE}{day.pk}/", {"action": action, **data})


def test_staff_set_up_a_day_give_its_rules_and_draw_the_teams(manager_client, home):
    event = sport_event(home, 12)
    date = EventDate.objects.get(event=event)
    index = manager_client.get(BASE)
    assert "Préparer la journée sport" in index.content.decode()
    created = manager_client.post(BASE, {"date": date.pk})
    day = SportDay.objects.get(date=date)
    assert created.url.endswith(f"{day.pk}/rules/")
    refused = manager_client.post(
        f"{BASE}{day.pk}/rules/",
        {
            "team_count": 2,
            "round_minutes": 15,
            "break_minutes": 5,
            "win_points": 3,
            "draw_points": 1,
            "loss_points": 0,
            "points": "4-trois",
            "activities": "Quiz",
            "courts_text": "Gymnase",
            "tie_break_0": "points",
            "tie_break_1": "points",
        },
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "comme 4-3-2-1" in html and "Chaque terrain a besoin d’un nom" in html
    assert "Chaque critère de départage ne peut apparaître qu’une fois." in html
    assert "4-trois" in html  # what was typed stays
    saved = manager_client.post(
        f"{BASE}{day.pk}/rules/",
        {
            "team_count": 2,
            "round_minutes": 15,
            "break_minutes": 5,
            "win_points": 3,
            "draw_points": 1,
            "loss_points": 0,
            "points": "5-3-1",
            "activities": "Quiz\nDanse",
            "courts_text": "Gymnase: football, handball",
            "tie_break_0": "points",
            "tie_break_1": "fair_play",
        },
    )
    assert saved.status_code == 302
    day.refresh_from_db()
    assert day.placement_points == [5, 3, 1] and day.tie_breaks == ["points", "fair_play"]
    assert [court.sport_list for court in day.courts.all()] == [["football", "handball"]]
    act(manager_client, day, "draw")
    assert [team.members.count() for team in day.teams.all()] == [6, 6]


def test_impossible_rules_name_the_rule_to_relax_and_its_button_plans(manager_client, home):
    day = sport_day(home, 24, planned=False)
    page = act(manager_client, day, "plan")
    assert page.status_code == 409
    html = page.content.decode()
    assert "Aucun planning ne respecte ces règles" in html
    assert "permettre un même sport sur 2 terrains à la fois" in html
    assert not Match.objects.exists()
    act(manager_client, day, "relax", per_team=1, parallel=2)
    assert Match.objects.filter(sport_day=day).count() == 6
    assert act(manager_client, day, "publish").status_code == 302
    assert SportDay.objects.get(pk=day.pk).is_published


def test_staff_rename_a_team_and_move_a_player(manager_client, home):
    day = sport_day(home, 24, planned=False)
    first, second = day.teams.all()[:2]
    act(manager_client, day, "rename", team=first.pk, name="Les Terrils")
    member = first.members.first()
    act(manager_client, day, "move", member=member.pk, team=second.pk)
    assert Team.objects.get(pk=first.pk).name == "Les Terrils"
    assert second.members.filter(pk=member.pk).exists()
    page = manager_client.get(f"{BASE}{day.pk}/").content.decode()
    assert "des équipes sont trop grandes" in page


def test_another_structures_day_is_not_found(manager_client, home, other_structure):
    day = sport_day(home, 6, teams=2, planned=False)
    EventDate.objects.filter(pk=day.date_id).update(structure=other_structure)
    assert manager_client.get(f"{BASE}{day.pk}/").status_code == 404
    assert act(manager_client, day, "draw").status_code == 404


def test_a_player_is_invited_to_book_a_follow_up(manager_client, home):
    day = sport_day(home, 8, teams=2)
    counsellor = counsellor_offering_one_format()
    member = day.teams.first().members.first()
    url = f"{BASE}{day.pk}/follow-up/{member.pk}/"
    page = manager_client.get(url).content.decode()
    assert member.registration.young_person.email in page
    mail.outbox.clear()
    sent = manager_client.post(
        url,
        {
            "counsellor": counsellor.pk,
            "format": counsellor.formats.first().pk,
            "contact": member.registration.young_person.email,
        },
    )
    assert sent.status_code == 302
    assert Invitation.objects.get().contact == member.registration.young_person.email


def test_staff_pages_cost_the_same_queries_for_few_or_many(manager_client, home):
    """3 players in 3 teams, then 30 in 6, planned then published: the same queries."""
    counts = []
    for players, teams in ((3, 3), (30, 6)):
        day = sport_day(home, players, teams=teams, title=f"Journée à {players}")
        pages = [f"{BASE}{day.pk}/{suffix}" for suffix in ("", "cards/", "rules/")]
        measured = [queries(manager_client, url) for url in pages]
        day.state = SportDay.State.PUBLISHED
        day.save()
        measured.append(queries(manager_client, pages[0]))
        counts.append(measured)
    assert counts[0] == counts[1]
    assert max(counts[0]) <= 25, counts


def queries(client, url):
    """Queries of a second visit: the first fills what every page keeps (the site...)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
