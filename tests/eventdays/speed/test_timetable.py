"""When each round is played: by the timetable from the first round, then from the
moment staff start one by hand; what a re-plan keeps as played."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from eventdays.models import SpeedMeeting
from eventdays.speed.timetable import Moment, Phase, moment, round_start, rounds_played

NINE = datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def meeting(**fields):
    """Three rounds of 10 minutes, 2 to change tables, from 9:00."""
    return SpeedMeeting(rounds=3, round_minutes=10, change_minutes=2, first_round_at=NINE, **fields)


def at(minutes):
    return NINE + timedelta(minutes=minutes)


def test_the_timetable_runs_by_itself():
    day = meeting()
    assert moment(day, at(-5)) == Moment(Phase.BEFORE, 0, NINE)
    assert moment(day, at(3)) == Moment(Phase.ROUND, 0, at(10))
    assert moment(day, at(11)) == Moment(Phase.CHANGE, 1, at(12))
    assert moment(day, at(12)) == Moment(Phase.ROUND, 1, at(22))
    assert moment(day, at(34)).phase == Phase.OVER
    assert [rounds_played(day, at(minutes)) for minutes in (-5, 3, 11, 12, 40)] == [0, 1, 1, 2, 3]


def test_a_round_started_by_hand_moves_the_rounds_after_it():
    late = meeting(round_playing=1, round_started_at=at(20))
    assert moment(late, at(15)) == Moment(Phase.CHANGE, 1, at(20))
    assert moment(late, at(21)) == Moment(Phase.ROUND, 1, at(30))
    assert round_start(late, 2) == at(32)
    assert round_start(late, 0) == NINE


def test_staff_ending_the_day_end_it():
    assert moment(meeting(round_playing=3, round_started_at=at(5)), at(6)).phase == Phase.OVER


def test_the_countdown_never_goes_below_zero():
    assert moment(meeting(), at(3)).seconds_left(at(3)) == 420
    assert moment(meeting(), at(3)).seconds_left(at(30)) == 0
