"""When each round of a speed meeting is played, read from its settings and from staff
moving to the next round: the timetable runs by itself from `first_round_at` (a round,
then the change of tables, then the next round), and once staff start a round by hand
the rounds after it follow from that moment. Rounds are numbered from 0."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Phase(StrEnum):
    BEFORE = "before"  # round `round` (the first) starts at `until`
    ROUND = "round"  # round `round` ends at `until`
    CHANGE = "change"  # round `round` starts at `until`: people change tables
    OVER = "over"


@dataclass(frozen=True)
class Moment:
    phase: Phase
    round: int | None
    until: datetime | None

    def seconds_left(self, now):
        return max(0, int((self.until - now).total_seconds())) if self.until else 0


def period(meeting):
    return timedelta(minutes=meeting.round_minutes + meeting.change_minutes)


def round_start(meeting, number):
    """When round `number` starts (or started), as the timetable and staff set it."""
    if meeting.round_started_at is not None and number >= (meeting.round_playing or 0):
        return meeting.round_started_at + (number - meeting.round_playing) * period(meeting)
    return meeting.first_round_at + number * period(meeting)


def round_end(meeting, number):
    return round_start(meeting, number) + timedelta(minutes=meeting.round_minutes)


def moment(meeting, now):
    """Where the day stands at `now`."""
    if meeting.round_playing is not None and meeting.round_playing >= meeting.rounds:
        return Moment(Phase.OVER, None, None)
    first = meeting.round_playing if meeting.round_started_at is not None else 0
    if now < round_start(meeting, first):
        phase = Phase.BEFORE if first == 0 else Phase.CHANGE
        return Moment(phase, first, round_start(meeting, first))
    number = first + int((now - round_start(meeting, first)) / period(meeting))
    if number >= meeting.rounds:
        return Moment(Phase.OVER, None, None)
    if now < round_end(meeting, number):
        return Moment(Phase.ROUND, number, round_end(meeting, number))
    if number + 1 >= meeting.rounds:
        return Moment(Phase.OVER, None, None)
    return Moment(Phase.CHANGE, number + 1, round_start(meeting, number + 1))


def rounds_played(meeting, now):
    """The rounds a re-plan keeps: those over and the one under way."""
    at = moment(meeting, now)
    if at.phase == Phase.OVER:
        return meeting.rounds
    if at.phase == Phase.ROUND:
        return at.round + 1
    return at.round
