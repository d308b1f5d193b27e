"""The sport day's matches: who plays whom, when, on which court, at which sport.

    round_robin(teams) -> tuple of rounds, each a tuple of Pairing(home, away)
    fixtures(teams, court_count) -> tuple of Fixture(slot, home, away)
    plan_matches(teams, courts, rules, max_steps) -> MatchPlan | Infeasible
    count_plans(teams, courts, rules, limit=None) -> int

Teams are distinct hashable ids; a `Court` has an id and the sports its equipment allows
(a sport is only ever played on a court that allows it: that is the field, not a rule to
relax). Every pair of teams meets once, by the circle method: one team stays put while
the others turn around it, with a bye for the team facing the empty seat when the count
is odd. A round of the circle holds more matches than courts when courts are few, so the
matches are poured into time slots of at most one match per court, each taken in the
circle's order when both its teams are free in that slot.

The rules are predicates over a partial plan (`allows`), each able to say whether the
matches still open can be finished at all (`can_finish`, a counting bound that proves
most impossible rule sets at once) and to hand back a weaker copy of itself (`relaxed`,
None once it binds nothing). Listed in order of importance, most important first:

    SportsVaryPerTeam(at_most=1)     no team plays one sport more than at_most times
    SportsVaryInParallel(at_most=1)  no sport on more than at_most courts in one slot

A small backtracking search gives each match a sport (the most constrained match first,
the sports its teams and slot have used least first, ties in the given order, so the same
input gives the same plan) and the courts of a slot to its matches by bipartite matching.
When no plan holds every rule, `plan_matches` does not fail silently: it answers
`Infeasible` with the smallest relaxations that admit a plan, the least important rule
relaxed first, each with its plan. It says whether the impossibility is proven (every
assignment ruled out) or only that `max_steps` partial plans found none: a bound that
keeps a hopeless rule set on a big day under a second. With 4 teams, 2 courts and 4
sports, "each team plays 3 different sports and parallel matches are different sports"
has none; allowing one sport on both courts gives 96 (`count_plans` counts the sports' assignments).
"""

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, replace

_BYE = object()


@dataclass(frozen=True)
class Pairing:
    home: Hashable
    away: Hashable


@dataclass(frozen=True)
class Fixture:
    slot: int
    home: Hashable
    away: Hashable


@dataclass(frozen=True)
class Court:
    id: Hashable
    sports: frozenset

    def __post_init__(self):
        object.__setattr__(self, "sports", frozenset(self.sports))
        if not self.sports:
            raise ValueError(f"court {self.id!r} allows no sport")


@dataclass(frozen=True)
class Match:
    slot: int
    home: Hashable
    away: Hashable
    court: Hashable
    sport: Hashable


@dataclass(frozen=True)
class MatchSlot:
    number: int
    matches: tuple[Match, ...]
    resting: tuple[Hashable, ...]


@dataclass(frozen=True)
class MatchPlan:
    slots: tuple[MatchSlot, ...]

    @property
    def matches(self):
        return tuple(match for slot in self.slots for match in slot.matches)


@dataclass(frozen=True)
class Relaxation:
    """Rules that admit a plan, what changed from those asked for, and that plan."""

    rules: tuple
    changes: tuple[tuple[object, object], ...]
    plan: MatchPlan


@dataclass(frozen=True)
class Infeasible:
    """No plan holds `rules`: proven when every assignment was ruled out, otherwise none
    was found within `max_steps` tries (one may exist, the relaxations are safe bets)."""

    rules: tuple
    relaxations: tuple[Relaxation, ...]
    proven: bool

    @property
    def suggestion(self):
        return self.relaxations[0]


class Tally:
    """What a partial plan has used: the rules read it, the search keeps it up to date."""

    def __init__(self):
        self.team_sport = Counter()
        self.slot_sport = Counter()

    def add(self, fixture, sport, step=1):
        self.team_sport[fixture.home, sport] += step
        self.team_sport[fixture.away, sport] += step
        self.slot_sport[fixture.slot, sport] += step


@dataclass(frozen=True)
class SportsVaryPerTeam:
    at_most: int = 1

    def allows(self, tally, fixture, sport):
        return (
            tally.team_sport[fixture.home, sport] < self.at_most
            and tally.team_sport[fixture.away, sport] < self.at_most
        )

    def can_finish(self, tally, open_fixtures, sports):
        open_by_team = Counter()
        for fixture in open_fixtures:
            open_by_team[fixture.home] += 1
            open_by_team[fixture.away] += 1
        return all(
            count <= sum(self.at_most - tally.team_sport[team, sport] for sport in sports)
            for team, count in open_by_team.items()
        )

    def relaxed(self, fixtures):
        most = max(Counter(team for f in fixtures for team in (f.home, f.away)).values())
        return replace(self, at_most=self.at_most + 1) if self.at_most < most else None


@dataclass(frozen=True)
class SportsVaryInParallel:
    at_most: int = 1

    def allows(self, tally, fixture, sport):
        return tally.slot_sport[fixture.slot, sport] < self.at_most

    def can_finish(self, tally, open_fixtures, sports):
        open_by_slot = Counter(fixture.slot for fixture in open_fixtures)
        return all(
            count <= sum(self.at_most - tally.slot_sport[slot, sport] for sport in sports)
            for slot, count in open_by_slot.items()
        )

    def relaxed(self, fixtures):
        widest = max(Counter(fixture.slot for fixture in fixtures).values())
        return replace(self, at_most=self.at_most + 1) if self.at_most < widest else None


STRICT = (SportsVaryPerTeam(), SportsVaryInParallel())
# Partial plans tried before giving up on a rule set: far more than 8 teams ever need,
# few enough that a hopeless rule set on a big day answers within a second.
MAX_STEPS = 500


def round_robin(teams):
    """The circle method: the first team stays, the others turn one seat each round."""
    circle = [*_distinct(teams), *([_BYE] if len(teams) % 2 else [])]
    size = len(circle)
    rounds = []
    for number in range(size - 1):
        pairings = []
        for seat in range(size // 2):
            home, away = circle[seat], circle[size - 1 - seat]
            if seat == 0 and number % 2:
                home, away = away, home  # the fixed team alternates home and away
            if home is not _BYE and away is not _BYE:
                pairings.append(Pairing(home, away))
        rounds.append(tuple(pairings))
        circle = [circle[0], circle[-1], *circle[1:-1]]
    return tuple(rounds)


def fixtures(teams, court_count):
    """The round robin's matches in time slots of at most `court_count` matches."""
    if court_count < 1:
        raise ValueError("matches need at least one court")
    waiting = [pairing for round in round_robin(teams) for pairing in round]
    slotted = []
    slot = 0
    while waiting:
        slot += 1
        busy = set()
        taken = []
        for pairing in waiting:
            if len(taken) == court_count:
                break
            if pairing.home not in busy and pairing.away not in busy:
                busy.update((pairing.home, pairing.away))
                taken.append(pairing)
        slotted.extend(Fixture(slot, pairing.home, pairing.away) for pairing in taken)
        waiting = [pairing for pairing in waiting if pairing not in taken]
    return tuple(slotted)


def plan_matches(teams, courts, rules=STRICT, max_steps=MAX_STEPS):
    teams, courts, rules = tuple(teams), tuple(courts), tuple(rules)
    planned = fixtures(teams, len(courts))
    try:
        found = _Search(planned, courts, rules, max_steps).first()
    except _OutOfSteps:
        found, proven = None, False
    else:
        proven = True
    if found is not None:
        return _plan(teams, planned, courts, found)
    relaxations = _relaxations(teams, planned, courts, rules, max_steps)
    return Infeasible(rules, relaxations, proven)


def count_plans(teams, courts, rules=STRICT, limit=None):
    """How many ways to give the matches their sports, stopping at `limit` if given."""
    search = _Search(fixtures(teams, len(courts)), tuple(courts), tuple(rules))
    count = 0
    for _ in search.solutions():
        count += 1
        if count == limit:
            break
    return count


def _relaxations(teams, planned, courts, rules, max_steps):
    """Breadth first over relaxation steps: the fewest changes, least important first."""
    level = [rules]
    seen = {rules}
    while level:
        found = []
        following = []
        for current in level:
            for index in reversed(range(len(current))):
                weaker = current[index].relaxed(planned)
                if weaker is None:
                    continue
                candidate = (*current[:index], weaker, *current[index + 1 :])
                if candidate in seen:
                    continue
                seen.add(candidate)
                following.append(candidate)
                try:
                    solution = _Search(planned, courts, candidate, max_steps).first()
                except _OutOfSteps:
                    continue
                if solution is not None:
                    changes = tuple(
                        (old, new) for old, new in zip(rules, candidate, strict=True) if old != new
                    )
                    plan = _plan(teams, planned, courts, solution)
                    found.append(Relaxation(candidate, changes, plan))
        if found:
            return tuple(found)
        level = following
    return ()


class _OutOfSteps(Exception):
    """The search tried `max_steps` partial plans without settling the question."""


class _Search:
    """Backtracking over the matches' sports, with the rules as predicates."""

    def __init__(self, planned, courts, rules, max_steps=None):
        self.steps_left = max_steps
        self.fixtures = planned
        self.courts = courts
        self.rules = rules
        self.sports = tuple(
            dict.fromkeys(sport for court in courts for sport in sorted(court.sports, key=repr))
        )
        # A slot never holds more matches than courts, so these always find one free.
        self.on_every_court = frozenset.intersection(*(court.sports for court in courts))
        self.by_slot = defaultdict(list)
        for index, fixture in enumerate(planned):
            self.by_slot[fixture.slot].append(index)
        self.tally = Tally()
        self.sport_of = {}

    def solutions(self):
        """Yields `sport_of` (fixture index → sport) each time every match has one."""
        if self.steps_left is not None:
            if not self.steps_left:
                raise _OutOfSteps
            self.steps_left -= 1
        open_indices = [index for index in range(len(self.fixtures)) if index not in self.sport_of]
        if not open_indices:
            yield self.sport_of
            return
        open_fixtures = [self.fixtures[index] for index in open_indices]
        if not all(rule.can_finish(self.tally, open_fixtures, self.sports) for rule in self.rules):
            return
        chosen, choices = None, None
        for index in open_indices:
            allowed = self._allowed(index)
            if not allowed:
                return
            if choices is None or len(allowed) < len(choices):
                chosen, choices = index, allowed
                if len(allowed) == 1:
                    break
        fixture = self.fixtures[chosen]
        choices.sort(key=lambda sport: self._used(fixture, sport))
        for sport in choices:
            self.sport_of[chosen] = sport
            self.tally.add(fixture, sport)
            try:
                yield from self.solutions()
            finally:
                self.tally.add(fixture, sport, step=-1)
                del self.sport_of[chosen]

    def first(self):
        """The first plan found, as {fixture index: sport}, or None when there is none."""
        return next((dict(solution) for solution in self.solutions()), None)

    def _allowed(self, index):
        fixture = self.fixtures[index]
        allowed = []
        for sport in self.sports:
            if not all(rule.allows(self.tally, fixture, sport) for rule in self.rules):
                continue
            if sport in self.on_every_court or self._courts_fit(fixture.slot, index, sport):
                allowed.append(sport)
        return allowed

    def _courts_fit(self, slot, index, sport):
        placed = [(i, self.sport_of[i]) for i in self.by_slot[slot] if i in self.sport_of]
        return _match_courts([*placed, (index, sport)], self.courts) is not None

    def _used(self, fixture, sport):
        tally = self.tally
        return (
            tally.team_sport[fixture.home, sport] + tally.team_sport[fixture.away, sport],
            tally.slot_sport[fixture.slot, sport],
        )


def _match_courts(wanted, courts):
    """Kuhn's augmenting paths: {index: court position} for [(index, sport)], or None."""
    sport_of = dict(wanted)
    holder = {}

    def place(index, visited):
        for position, court in enumerate(courts):
            if sport_of[index] in court.sports and position not in visited:
                visited.add(position)
                if position not in holder or place(holder[position], visited):
                    holder[position] = index
                    return True
        return False

    if not all(place(index, set()) for index in sport_of):
        return None
    return {index: position for position, index in holder.items()}


def _plan(teams, planned, courts, sport_of):
    slots = []
    for slot in sorted({fixture.slot for fixture in planned}):
        indices = [index for index, fixture in enumerate(planned) if fixture.slot == slot]
        court_of = _match_courts([(index, sport_of[index]) for index in indices], courts)
        matches = tuple(
            Match(
                slot=slot,
                home=planned[index].home,
                away=planned[index].away,
                court=courts[position].id,
                sport=sport_of[index],
            )
            for position, index in sorted((court_of[index], index) for index in indices)
        )
        playing = {team for match in matches for team in (match.home, match.away)}
        slots.append(MatchSlot(slot, matches, tuple(team for team in teams if team not in playing)))
    return MatchPlan(tuple(slots))


def _distinct(teams):
    teams = tuple(teams)
    if len(set(teams)) != len(teams):
        raise ValueError("each team must appear once")
    return teams
