"""The station rotation of a sport day: which team is at which activity in each round.

    rotation(teams, stations) -> Rotation
    rounds_needed(team_count, station_count) -> int

`teams` and `stations` are sequences of distinct hashable ids (a team's number, an
activity's slug). The answer is a `Rotation` of `Round`s, each listing its `Visit`s
(team, station), the teams resting and the stations left idle.

With as many teams as stations it is a Latin square: team t is at station (t + r) mod n
in round r, so every team does every activity exactly once and no two teams meet at one
station. With more teams than stations some teams rest: the square is built on the
teams' count and the cells beyond the stations become rests, spread along the cycle
(every round has the same number of teams resting, every team rests as often as the
others and, while there are at least half as many stations as teams, never twice in a
row). With more stations than teams, the square is built on the stations' count and the
stations no team reaches that round stay idle. Either way the day needs as many rounds as
the larger of the two counts: `rounds_needed` says how many before anything is built.
"""

from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Visit:
    team: Hashable
    station: Hashable


@dataclass(frozen=True)
class Round:
    number: int
    visits: tuple[Visit, ...]
    resting: tuple[Hashable, ...]
    idle: tuple[Hashable, ...]


@dataclass(frozen=True)
class Rotation:
    rounds: tuple[Round, ...]

    def schedule_of(self, team):
        """The team's day, round by round: its station, or None when it rests."""
        return tuple(
            next((visit.station for visit in round.visits if visit.team == team), None)
            for round in self.rounds
        )


def rounds_needed(team_count, station_count):
    """Every team must visit every station once and a station takes one team a round."""
    if team_count < 1 or station_count < 1:
        raise ValueError("a rotation needs at least one team and one station")
    return max(team_count, station_count)


def rotation(teams, stations):
    teams, stations = _distinct(teams, "team"), _distinct(stations, "station")
    size = rounds_needed(len(teams), len(stations))
    cells = _cells(size, len(stations))
    rounds = []
    for number in range(size):
        visits = []
        resting = []
        for index, team in enumerate(teams):
            station = cells[(index + number) % size]
            if station is None:
                resting.append(team)
            else:
                visits.append(Visit(team, stations[station]))
        visited = {visit.station for visit in visits}
        rounds.append(
            Round(
                number=number + 1,
                visits=tuple(visits),
                resting=tuple(resting),
                idle=tuple(station for station in stations if station not in visited),
            )
        )
    return Rotation(tuple(rounds))


def _cells(size, station_count):
    """The square's columns: a station index, or None for a rest, rests spread evenly.

    A column is a rest when it crosses a multiple of size / rests (the Bresenham line),
    so rests are as far apart as the cycle allows."""
    rests = size - station_count
    cells = []
    station = 0
    for column in range(size):
        if (column + 1) * rests // size > column * rests // size:
            cells.append(None)
        else:
            cells.append(station)
            station += 1
    return cells


def _distinct(ids, what):
    ids = tuple(ids)
    if len(set(ids)) != len(ids):
        raise ValueError(f"each {what} must appear once")
    return ids
