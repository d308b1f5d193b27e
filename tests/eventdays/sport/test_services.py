"""Drawing, editing and planning a sport day, and typing its results, as staff and
referees do through the services."""

import pytest

from booking.models import Registration
from eventdays.sport import services
from eventdays.sport.models import Match, Placing, SportDay, TeamMember, Visit

from .support import sport_day

pytestmark = pytest.mark.django_db


def test_the_draw_makes_even_teams_of_every_player(home):
    day = sport_day(home, 24, planned=False)
    sizes = [team.members.count() for team in day.teams.all()]
    assert sizes == [6, 6, 6, 6]
    assert TeamMember.objects.count() == Registration.objects.count() == 24
    assert [team.name for team in day.teams.all()] == [
        "Équipe 1",
        "Équipe 2",
        "Équipe 3",
        "Équipe 4",
    ]
    assert services.team_check(day).ok


def test_a_move_is_reported_by_the_check_and_a_rename_is_kept(home):
    day = sport_day(home, 24, planned=False)
    first, second = day.teams.all()[:2]
    services.move_member(first.members.first(), second)
    check = services.team_check(day)
    assert check.too_small == (first.number,) and check.too_large == (second.number,)
    services.rename_team(first, "  Les   Terrils ")
    first.refresh_from_db()
    assert first.name == "Les Terrils"
    with pytest.raises(services.SportDayError):
        services.rename_team(first, "   ")


def test_the_strict_rules_are_impossible_and_the_suggestion_plans(home):
    day = sport_day(home, 24, planned=False)
    planned = services.plan(day)
    assert planned.infeasible is not None and planned.infeasible.proven
    assert not Match.objects.exists()
    rules = services.relaxed_rules(planned.infeasible)
    assert services.plan(day, rules=rules).infeasible is None
    day.refresh_from_db()
    assert day.sport_in_parallel_at_most == 2
    assert Match.objects.filter(sport_day=day).count() == 6
    # Every team at every activity once, never two at one station in a round.
    assert Visit.objects.filter(sport_day=day).count() == 16


def test_publishing_freezes_teams_and_plan(home):
    day = sport_day(home, 24)
    services.publish(day)
    assert SportDay.objects.get().is_published
    with pytest.raises(services.NotDraft):
        services.draw(day)


def test_a_score_typed_on_an_old_form_is_refused_not_overwritten(home):
    day = sport_day(home, 24)
    match = Match.objects.filter(sport_day=day).first()
    services.record_score(match, home_score=2, away_score=1, version=0)
    with pytest.raises(services.ResultChanged):
        services.record_score(match, home_score=0, away_score=5, version=0)
    match.refresh_from_db()
    assert (match.home_score, match.away_score, match.version) == (2, 1, 1)
    assert SportDay.objects.get().results_version == 1


def test_placings_need_a_place_for_every_team_within_the_count(home):
    day = sport_day(home, 24)
    station = day.stations.first()
    team_ids = [team.pk for team in day.teams.all()]
    with pytest.raises(services.SportDayError):
        services.record_placings(station, dict(zip(team_ids, [1, 2, 3, 9], strict=True)), version=0)
    with pytest.raises(services.SportDayError):
        services.record_placings(
            station, dict(zip(team_ids[:3], [1, 2, 3], strict=True)), version=0
        )
    services.record_placings(station, dict(zip(team_ids, [1, 2, 2, 4], strict=True)), version=0)
    assert sorted(Placing.objects.values_list("place", flat=True)) == [1, 2, 2, 4]


def test_a_day_with_results_cannot_go_back_to_draft(home):
    day = sport_day(home, 24)
    services.publish(day)
    services.record_score(
        Match.objects.filter(sport_day=day).first(), home_score=1, away_score=0, version=0
    )
    with pytest.raises(services.SportDayError):
        services.unpublish(day)
    assert SportDay.objects.get().is_published
