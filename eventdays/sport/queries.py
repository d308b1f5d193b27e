"""What the sport day's pages read, in a fixed number of queries whatever the number of
teams, players or matches."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.db.models import Prefetch
from django.utils import timezone

from .models import Match, Placing, Station, Team, TeamMember, Visit
from .services import round_times, standings


@dataclass
class Board:
    """A day's teams, plan and results, read at once, and the rounds they make."""

    day: object
    teams: list
    stations: list
    courts: list
    visits: list
    matches: list
    placings: list
    standings: tuple = ()
    rounds: list = field(default_factory=list)

    @cached_property
    def team_of(self):
        return {team.pk: team for team in self.teams}

    def current_round(self, now=None):
        """The round under way, or during a break the next one; None once all are over."""
        now = now or timezone.now()
        return next((round for round in self.rounds if now < round.end), None)


@dataclass
class Round:
    number: int
    start: object
    end: object
    visits: list
    matches: list


def load_board(day, *, members=False):
    """The day's rows: teams (with their members and people when `members`), stations,
    courts, the rotation, the matches and the placings; and the standings and rounds."""
    team_rows = Team.objects.filter(sport_day=day)
    if members:
        team_rows = team_rows.prefetch_related(
            Prefetch(
                "members",
                queryset=TeamMember.objects.select_related("registration__young_person"),
            )
        )
    team_rows = list(team_rows)
    team_of = {team.pk: team for team in team_rows}
    station_rows = list(Station.objects.filter(sport_day=day))
    court_rows = list(day.courts.all())
    station_of = {station.pk: station for station in station_rows}
    court_of = {court.pk: court for court in court_rows}
    visits = list(Visit.objects.filter(sport_day=day).order_by("round", "station_id"))
    for visit in visits:
        visit.team, visit.station = team_of[visit.team_id], station_of[visit.station_id]
    match_rows = list(Match.objects.filter(sport_day=day).order_by("slot", "court_id"))
    for match in match_rows:
        match.home, match.away = team_of[match.home_id], team_of[match.away_id]
        match.court = court_of[match.court_id]
    placings = list(Placing.objects.filter(station__sport_day=day))
    board = Board(day, team_rows, station_rows, court_rows, visits, match_rows, placings)
    board.standings = tuple(
        (standing, team_of[standing.team])
        for standing in standings(
            day, team_rows, placings, [match for match in match_rows if match.played]
        )
    )
    board.rounds = _rounds(day, visits, match_rows)
    return board


def _rounds(day, visits, match_rows):
    """Activity rounds first, then the match slots, one after the other."""
    station_rounds = sorted({visit.round for visit in visits})
    slots = sorted({match.slot for match in match_rows})
    times = round_times(day, len(station_rounds) + len(slots))
    length = timedelta(minutes=day.round_minutes)
    contents = [([v for v in visits if v.round == number], []) for number in station_rounds]
    contents += [([], [m for m in match_rows if m.slot == slot]) for slot in slots]
    return [
        Round(index + 1, start, start + length, round_visits, round_matches)
        for index, (start, (round_visits, round_matches)) in enumerate(
            zip(times, contents, strict=True)
        )
    ]
