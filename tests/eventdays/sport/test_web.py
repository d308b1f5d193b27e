"""The sport day's pages without an account: the referee's link, the scoreboard, the
results and the recruiters' rosters."""

import re
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.models import EventDate
from eventdays.sport import links, services
from eventdays.sport.models import Match, Placing
from tests.support import HOSTILE_VALUES

from .support import sport_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(home):
    day = sport_day(home, 24)
    services.publish(day)
    return day


def test_a_court_referee_types_a_score_and_the_scoreboard_shows_it(client, day):
    court = day.courts.first()
    url = links.referee_path(court)
    page = client.get(url)
    assert page.status_code == 200
    assert "noindex" in page["X-Robots-Tag"]
    match = Match.objects.filter(court=court).first()
    board_url = f"/journees/sport/{day.pk}/tableau/"
    first = client.get(board_url)
    assert first["Refresh"] == "30"  # no JavaScript needed
    assert "Refresh" not in client.get(board_url + "?pause=1")
    before = first.content.decode()  # kept, until a result renews it
    prefix = f"match-{match.pk}"
    sent = client.post(
        url,
        {
            "match": match.pk,
            f"{prefix}-version": 0,
            f"{prefix}-home_score": 3,
            f"{prefix}-away_score": 1,
        },
    )
    assert sent.status_code == 302
    match.refresh_from_db()
    assert (match.home_score, match.away_score) == (3, 1)
    board = client.get(board_url).content.decode()
    winner = rf'<td>1</td>\s*<th scope="row">{match.home.name}</th>\s*<td>3</td>'
    assert not re.search(winner, before)
    assert re.search(winner, board)


def test_a_bad_score_is_told_in_plain_words_and_what_was_typed_stays(client, day):
    court = day.courts.first()
    match = Match.objects.filter(court=court).first()
    prefix = f"match-{match.pk}"
    page = client.post(
        links.referee_path(court),
        {
            "match": match.pk,
            f"{prefix}-version": 0,
            f"{prefix}-home_score": "2",
            f"{prefix}-away_score": "-4",
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Un score va de 0 à 999." in html
    assert 'value="2"' in html and 'value="-4"' in html
    assert Match.objects.get(pk=match.pk).home_score is None


def test_a_score_sent_from_an_old_page_keeps_what_was_typed_and_is_told(client, day):
    court = day.courts.first()
    match = Match.objects.filter(court=court).first()
    services.record_score(match, home_score=1, away_score=1, version=0)
    prefix = f"match-{match.pk}"
    page = client.post(
        links.referee_path(court),
        {
            "match": match.pk,
            f"{prefix}-version": 0,
            f"{prefix}-home_score": "4",
            f"{prefix}-away_score": "0",
        },
    )
    assert page.status_code == 409
    html = page.content.decode()
    assert "Quelqu’un d’autre a saisi un résultat ici entre-temps" in html
    assert 'value="4"' in html and f'name="match-{match.pk}-version" value="1"' in html
    match.refresh_from_db()
    assert (match.home_score, match.away_score) == (1, 1)


def test_a_jury_places_the_teams_and_an_out_of_range_place_is_refused(client, day):
    station = day.stations.first()
    url = links.referee_path(station)
    teams = list(day.teams.all())
    data = {
        "version": 0,
        **{f"team_{team.pk}": place for team, place in zip(teams, [1, 2, 3, 7], strict=True)},
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Une place va de 1 à 4." in refused.content.decode()
    assert not Placing.objects.exists()
    data[f"team_{teams[3].pk}"] = 3
    assert client.post(url, data).status_code == 302
    assert sorted(Placing.objects.values_list("place", flat=True)) == [1, 2, 3, 3]


def test_a_renewed_link_stops_working_and_hostile_tokens_are_refused(client, day):
    station = day.stations.first()
    old = links.referee_path(station)
    services.renew_link(station)
    assert client.get(old).status_code == 404
    assert client.get(links.referee_path(station)).status_code == 200
    for value in HOSTILE_VALUES:
        response = client.get(f"/journees/sport/arbitre/{value}x/")
        assert response.status_code in (404, 410)


def test_another_structures_site_does_not_open_the_links(client, day, other_structure, settings):
    settings.ALLOWED_HOSTS = ["testserver", "sud.localhost"]
    url = links.referee_path(day.stations.first())
    assert client.get(url, HTTP_HOST="sud.localhost").status_code == 404
    assert (
        client.get(f"/journees/sport/{day.pk}/tableau/", HTTP_HOST="sud.localhost").status_code
        == 404
    )


def test_results_wait_for_the_end_of_the_day(client, day):
    assert client.get(f"/journees/sport/{day.pk}/resultats/").status_code == 404
    EventDate.objects.filter(pk=day.date_id).update(
        start=timezone.now() - timedelta(hours=5), end=timezone.now() - timedelta(hours=1)
    )
    page = client.get(f"/journees/sport/{day.pk}/resultats/")
    assert page.status_code == 200
    assert "Battle de danse" in page.content.decode()


def test_recruiters_see_first_names_and_teams_only(client, day):
    page = client.get(links.recruiters_path(day)).content.decode()
    assert "Joueur0" in page and "Équipe 1" in page
    assert "@example.org" not in page
    old = links.recruiters_path(day)
    services.renew_recruiters_link(day)
    assert client.get(old).status_code == 404


def test_every_page_costs_the_same_queries_for_few_or_many(client, home):
    """3 players in 3 teams, then 30 in 6: the same queries on every page."""
    counts = []
    for players, teams in ((3, 3), (30, 6)):
        day = sport_day(home, players, teams=teams, title=f"Journée à {players}")
        services.publish(day)
        # The scoreboard as a result renews it: drawn again, not the page kept.
        board = queries(client, f"/journees/sport/{day.pk}/tableau/", partial(renew, day))
        urls = (
            links.referee_path(day.courts.first()),
            links.referee_path(day.stations.first()),
            links.recruiters_path(day),
        )
        counts.append([board, *(queries(client, url) for url in urls)])
    assert counts[0] == counts[1]
    assert max(counts[0]) <= 12, counts


def renew(day):
    services.set_fair_play(day, {})


def queries(client, url, meanwhile=None):
    """Queries of a second visit: the first fills what every page keeps (the site...)."""
    client.get(url)
    if meanwhile:
        meanwhile()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_placings_sent_from_an_old_page_show_what_was_saved_and_keep_what_was_typed(client, day):
    station = day.stations.first()
    teams = list(day.teams.all())
    services.record_placings(
        station,
        {team.pk: place for team, place in zip(teams, [1, 2, 3, 4], strict=True)},
        version=0,
    )
    data = {
        "version": 0,
        **{f"team_{team.pk}": place for team, place in zip(teams, [4, 3, 2, 1], strict=True)},
    }
    page = client.post(links.referee_path(station), data)
    assert page.status_code == 409
    html = page.content.decode()
    assert "Enregistré entre-temps" in html
    assert f'name="team_{teams[0].pk}" value="4"' in html
    assert 'name="version" value="1"' in html
    assert client.post(links.referee_path(station), {**data, "version": 1}).status_code == 302
    assert Placing.objects.get(station=station, team=teams[0]).place == 4


@pytest.mark.parametrize("value", [value for value in HOSTILE_VALUES if value != "0"])
def test_hostile_values_in_a_score_are_refused_with_nothing_written(client, day, value):
    court = day.courts.first()
    match = Match.objects.filter(court=court).first()
    prefix = f"match-{match.pk}"
    page = client.post(
        links.referee_path(court),
        {
            "match": match.pk,
            f"{prefix}-version": value,
            f"{prefix}-home_score": value,
            f"{prefix}-away_score": "1",
        },
    )
    assert page.status_code == 400
    assert Match.objects.get(pk=match.pk).version == 0
    assert client.post(links.referee_path(court), {"match": value}).status_code == 302
