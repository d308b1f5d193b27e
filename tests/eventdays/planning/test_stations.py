from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventdays.planning.stations import Visit, rotation, rounds_needed

ACTIVITIES = ("sport", "quiz", "danse", "chant")


def test_four_teams_rotate_through_four_activities_as_a_latin_square():
    plan = rotation(["A", "B", "C", "D"], ACTIVITIES)

    assert [round.visits for round in plan.rounds] == [
        (Visit("A", "sport"), Visit("B", "quiz"), Visit("C", "danse"), Visit("D", "chant")),
        (Visit("A", "quiz"), Visit("B", "danse"), Visit("C", "chant"), Visit("D", "sport")),
        (Visit("A", "danse"), Visit("B", "chant"), Visit("C", "sport"), Visit("D", "quiz")),
        (Visit("A", "chant"), Visit("B", "sport"), Visit("C", "quiz"), Visit("D", "danse")),
    ]
    assert all(not round.resting and not round.idle for round in plan.rounds)


def test_with_more_teams_than_stations_teams_take_turns_to_rest():
    plan = rotation(range(6), ACTIVITIES)

    assert len(plan.rounds) == 6
    assert [len(round.resting) for round in plan.rounds] == [2] * 6
    assert plan.schedule_of(0) == ("sport", "quiz", None, "danse", "chant", None)


def test_with_more_stations_than_teams_some_stations_stay_idle():
    plan = rotation(["A", "B"], ACTIVITIES)

    assert len(plan.rounds) == 4
    assert plan.rounds[0].idle == ("danse", "chant")
    assert plan.schedule_of("B") == ("quiz", "danse", "chant", "sport")


def test_the_rounds_needed_are_said_before_anything_is_built():
    assert rounds_needed(4, 4) == 4
    assert rounds_needed(12, 8) == 12
    assert rounds_needed(3, 5) == 5
    with pytest.raises(ValueError):
        rounds_needed(0, 4)


def test_a_team_named_twice_is_refused():
    with pytest.raises(ValueError, match="each team must appear once"):
        rotation(["A", "A"], ACTIVITIES)


@settings(max_examples=200, deadline=None)
@given(teams=st.integers(1, 14), stations=st.integers(1, 14))
def test_every_team_does_every_activity_once_and_never_shares_a_station(teams, stations):
    plan = rotation(range(teams), [f"s{index}" for index in range(stations)])

    assert len(plan.rounds) == rounds_needed(teams, stations)
    for round in plan.rounds:
        at_stations = [visit.station for visit in round.visits]
        assert len(set(at_stations)) == len(at_stations)
        present = [visit.team for visit in round.visits] + list(round.resting)
        assert sorted(present) == list(range(teams))
        assert set(round.idle) | set(at_stations) == {f"s{index}" for index in range(stations)}
        assert len(round.resting) == max(0, teams - stations)
    for team in range(teams):
        day = plan.schedule_of(team)
        visited = [station for station in day if station is not None]
        assert sorted(visited) == sorted(f"s{index}" for index in range(stations))
        if 2 * stations >= teams:
            assert all(day[i] is not None or day[i + 1] is not None for i in range(len(day) - 1))
    rests = Counter(team for round in plan.rounds for team in round.resting)
    assert len(set(rests.values())) <= 1
