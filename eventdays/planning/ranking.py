"""The sport day's overall ranking, and why each team stands where it does.

    rank(teams, placings, scores, fair_play, scoring, chain) -> tuple[Standing, ...]

`teams` are distinct hashable ids. A `Placing` is a team's place in one activity (the
quiz, the dance battle: 1 is first, tied teams share a place and the next is skipped,
1, 2, 2, 4); it earns the `Scoring`'s placement points for that place (4-3-2-1 by
default, nothing beyond the table). A `Score` is a match's result and earns the win,
draw or loss points (3-1-0 by default). `fair_play` maps a team to its jury mark,
higher is better, 0 when missing.

The `chain` is the ordered tie-break list, any order, any subset of `Criterion`:
points, head-to-head, goal difference, goals scored, fair play. Teams are split by the
first criterion; those still level go on to the next. Head-to-head is a mini-league of
the matches among the teams still level only (its points, then goal difference, then
goals scored, all between them), and when it sets some of them apart, it is applied
again to those still level among themselves, as football's rules do, before the chain
moves on. Teams nothing separates are ex æquo: they share a rank (1, 2, 2, 4), listed
by id.

Every `Standing` carries why it is ahead of the next rank down, as data a page can
phrase: `ahead_by` (the criterion that separated them, None for the last rank) and
`level_on` (the criteria they were level on before it), so POINTS with nothing level
reads "plus de points", and HEAD_TO_HEAD level on POINTS reads "égalité départagée par
la confrontation directe"; `ex_aequo` says the rank is shared.
"""

from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from enum import StrEnum


class Criterion(StrEnum):
    POINTS = "points"
    HEAD_TO_HEAD = "head_to_head"
    GOAL_DIFFERENCE = "goal_difference"
    GOALS_SCORED = "goals_scored"
    FAIR_PLAY = "fair_play"


DEFAULT_CHAIN = tuple(Criterion)


@dataclass(frozen=True)
class Placing:
    activity: Hashable
    team: Hashable
    place: int


@dataclass(frozen=True)
class Score:
    home: Hashable
    away: Hashable
    home_goals: int
    away_goals: int


@dataclass(frozen=True)
class Scoring:
    placement_points: tuple[int, ...] = (4, 3, 2, 1)
    win: int = 3
    draw: int = 1
    loss: int = 0

    def for_place(self, place):
        return self.placement_points[place - 1] if place <= len(self.placement_points) else 0

    def for_match(self, scored, conceded):
        if scored > conceded:
            return self.win
        return self.draw if scored == conceded else self.loss


@dataclass(frozen=True)
class Totals:
    placement_points: int
    match_points: int
    goals_scored: int
    goals_conceded: int
    fair_play: int

    @property
    def points(self):
        return self.placement_points + self.match_points

    @property
    def goal_difference(self):
        return self.goals_scored - self.goals_conceded


@dataclass(frozen=True)
class Standing:
    rank: int
    team: Hashable
    totals: Totals
    ex_aequo: bool
    ahead_by: Criterion | None
    level_on: tuple[Criterion, ...]


def rank(teams, placings=(), scores=(), fair_play=None, scoring=Scoring(), chain=DEFAULT_CHAIN):
    teams = tuple(teams)
    if len(set(teams)) != len(teams):
        raise ValueError("each team must appear once")
    chain = tuple(Criterion(criterion) for criterion in chain)
    if len(set(chain)) != len(chain):
        raise ValueError("each tie-break may appear once in the chain")
    placings, scores = tuple(placings), tuple(scores)
    _check(teams, placings, scores)
    fair_play = fair_play or {}
    totals = {
        team: _totals(team, placings, scores, fair_play.get(team, 0), scoring) for team in teams
    }
    groups, separations = _order(teams, chain, (), _Keys(totals, scores, scoring))
    standings = []
    for position, group in enumerate(groups):
        ahead_by, level_on = separations[position] if position < len(separations) else (None, ())
        shared = len(standings) + 1
        standings.extend(
            Standing(shared, team, totals[team], len(group) > 1, ahead_by, level_on)
            for team in group
        )
    return tuple(standings)


class _Keys:
    """Each criterion's value for a team, higher is better, among a group for head-to-head."""

    def __init__(self, totals, scores, scoring):
        self.totals = totals
        self.scores = scores
        self.scoring = scoring

    def of(self, criterion, group):
        if criterion is Criterion.HEAD_TO_HEAD:
            return self._mini_league(group)
        return {team: self._overall(criterion, self.totals[team]) for team in group}

    @staticmethod
    def _overall(criterion, totals):
        return {
            Criterion.POINTS: totals.points,
            Criterion.GOAL_DIFFERENCE: totals.goal_difference,
            Criterion.GOALS_SCORED: totals.goals_scored,
            Criterion.FAIR_PLAY: totals.fair_play,
        }[criterion]

    def _mini_league(self, group):
        members = set(group)
        points, scored, conceded = Counter(), Counter(), Counter()
        for score in self.scores:
            if score.home in members and score.away in members:
                for team, goals, against in (
                    (score.home, score.home_goals, score.away_goals),
                    (score.away, score.away_goals, score.home_goals),
                ):
                    points[team] += self.scoring.for_match(goals, against)
                    scored[team] += goals
                    conceded[team] += against
        return {team: (points[team], scored[team] - conceded[team], scored[team]) for team in group}


def _order(group, chain, level_on, keys):
    """Splits `group` by the chain: (groups best first, why each is ahead of the next)."""
    if len(group) == 1 or not chain:
        return [_by_id(group)], []
    criterion, rest = chain[0], chain[1:]
    values = keys.of(criterion, group)
    parts = [
        tuple(team for team in group if values[team] == value)
        for value in sorted(set(values.values()), reverse=True)
    ]
    if len(parts) == 1:
        return _order(group, rest, (*level_on, criterion), keys)
    # Head-to-head is applied again among those it leaves level, before the chain goes on.
    again = criterion is Criterion.HEAD_TO_HEAD
    groups, separations = [], []
    for part in parts:
        if groups:
            separations.append((criterion, level_on))
        inner_groups, inner_separations = _order(
            part, chain if again else rest, level_on if again else (*level_on, criterion), keys
        )
        groups.extend(inner_groups)
        separations.extend(inner_separations)
    return groups, separations


def _by_id(group):
    try:
        return tuple(sorted(group))
    except TypeError:
        return tuple(sorted(group, key=repr))


def _totals(team, placings, scores, fair_play, scoring):
    placement = sum(scoring.for_place(p.place) for p in placings if p.team == team)
    match_points = scored = conceded = 0
    for score in scores:
        for side, goals, against in (
            (score.home, score.home_goals, score.away_goals),
            (score.away, score.away_goals, score.home_goals),
        ):
            if side == team:
                match_points += scoring.for_match(goals, against)
                scored += goals
                conceded += against
    return Totals(placement, match_points, scored, conceded, fair_play)


def _check(teams, placings, scores):
    known = set(teams)
    named = {p.team for p in placings} | {t for s in scores for t in (s.home, s.away)}
    if named - known:
        raise ValueError(
            f"results name teams that are not ranked: {sorted(map(repr, named - known))}"
        )
    if any(count > 1 for count in Counter((p.activity, p.team) for p in placings).values()):
        raise ValueError("a team has two places in one activity")
    if any(p.place < 1 for p in placings):
        raise ValueError("places start at 1")
    if any(s.home == s.away or min(s.home_goals, s.away_goals) < 0 for s in scores):
        raise ValueError("a match is between two teams, with goals from 0 up")
