"""Teams drawn from a sport day's registrations, and what a staff edit of them broke.

    draw_teams(registrants, team_count, seed=0) -> tuple[Team, ...]
    check(teams, registrants) -> TeamCheck

A `Registrant` is an id with whatever attributes the caller declares (a level, an age
band, a "first time" flag: a mapping or pairs of name and hashable value, any of them
missing) and a `party`: the same party for friends who registered together ("moi + 1
ami") and asked to stay together, None otherwise.

Teams are even: with n people in k teams, each holds n // k or one more. Friends of one
party land in one team; when the parties cannot fit teams of those sizes,
`PartiesDoNotFit` says so rather than splitting them. Declared attributes are spread: the
parties (a lone registrant is a party of one) go largest first, each to the team where its
attributes are rarest so far, among the teams that keep every size reachable (a small
search over the sizes left, remembered); then members of the same party size are swapped
between teams while a swap makes the counts of some value more even (the sum of the
squares of each value's count per team goes down). Ties are broken by a shuffle from
`seed`, so the same registrations and seed give the same teams, whatever their order.

Staff then edit the teams by hand; `check` says in plain data what an edit broke: teams
too large or too small, parties split, people left out, placed twice or unknown.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Registrant:
    id: Hashable
    attributes: tuple[tuple[str, Hashable], ...] = ()
    party: Hashable | None = None

    def __post_init__(self):
        pairs = self.attributes
        if isinstance(pairs, Mapping):
            pairs = pairs.items()
        object.__setattr__(self, "attributes", tuple(sorted(pairs, key=lambda pair: pair[0])))


@dataclass(frozen=True)
class Team:
    number: int
    members: tuple[Hashable, ...]


@dataclass(frozen=True)
class SplitParty:
    party: Hashable
    teams: tuple[int, ...]


@dataclass(frozen=True)
class TeamCheck:
    sizes_allowed: tuple[int, int]
    too_large: tuple[int, ...] = ()
    too_small: tuple[int, ...] = ()
    split_parties: tuple[SplitParty, ...] = ()
    unplaced: tuple[Hashable, ...] = ()
    placed_twice: tuple[Hashable, ...] = ()
    unknown: tuple[Hashable, ...] = ()

    @property
    def ok(self):
        return not (
            self.too_large
            or self.too_small
            or self.split_parties
            or self.unplaced
            or self.placed_twice
            or self.unknown
        )


class PartiesDoNotFit(ValueError):
    def __init__(self, party_sizes, sizes_allowed):
        self.party_sizes = party_sizes
        self.sizes_allowed = sizes_allowed
        super().__init__(
            f"parties of {', '.join(map(str, party_sizes))} cannot fit teams of"
            f" {sizes_allowed[0]} or {sizes_allowed[1]}"
        )


def draw_teams(registrants, team_count, seed=0):
    registrants = _distinct(registrants)
    if not 1 <= team_count <= len(registrants):
        raise ValueError("between one team and one team per person")
    smallest = len(registrants) // team_count
    larger_teams = len(registrants) % team_count
    parties = _parties(registrants, seed)
    sizes = tuple(len(party) for party in parties)

    @cache
    def completes(done, team_sizes):
        """Can parties[done:] fill teams now sized `team_sizes` (sorted) evenly?"""
        if done == len(parties):
            return True
        return any(
            completes(done + 1, grown)
            for grown in {_grown(team_sizes, index, sizes[done]) for index in range(team_count)}
            if _even(grown, smallest, larger_teams)
        )

    if not completes(0, (0,) * team_count):
        raise PartiesDoNotFit(tuple(size for size in sizes if size > 1), (smallest, smallest + 1))
    teams = [[] for _ in range(team_count)]
    people = [0] * team_count
    counts = [Counter() for _ in range(team_count)]
    for done, party in enumerate(parties):
        current = tuple(sorted(people))
        choices = [
            index
            for index in range(team_count)
            if _even(
                grown := _grown(current, current.index(people[index]), len(party)),
                smallest,
                larger_teams,
            )
            and completes(done + 1, grown)
        ]
        best = min(
            choices, key=lambda index: (_added_cost(counts[index], party), people[index], index)
        )
        teams[best].append(party)
        people[best] += len(party)
        counts[best].update(_values(party))
    _swap_while_better(teams, counts)
    return tuple(
        Team(number + 1, tuple(member.id for party in team for member in party))
        for number, team in enumerate(teams)
    )


def check(teams, registrants):
    registrants = _distinct(registrants)
    known = {registrant.id: registrant for registrant in registrants}
    team_of = defaultdict(set)
    placements = Counter()
    for team in teams:
        for member in team.members:
            placements[member] += 1
            team_of[member].add(team.number)
    smallest = len(registrants) // max(len(teams), 1)
    largest = smallest + (1 if len(registrants) % max(len(teams), 1) else 0)
    parties = defaultdict(set)
    for registrant in registrants:
        if registrant.party is not None:
            parties[registrant.party] |= team_of[registrant.id]
    return TeamCheck(
        sizes_allowed=(smallest, largest),
        too_large=tuple(team.number for team in teams if len(team.members) > largest),
        too_small=tuple(team.number for team in teams if len(team.members) < smallest),
        split_parties=tuple(
            SplitParty(party, tuple(sorted(numbers)))
            for party, numbers in sorted(parties.items(), key=lambda item: repr(item[0]))
            if len(numbers) > 1
        ),
        unplaced=tuple(
            registrant.id for registrant in registrants if not placements[registrant.id]
        ),
        placed_twice=_in_order(member for member, count in placements.items() if count > 1),
        unknown=_in_order(member for member in placements if member not in known),
    )


def _parties(registrants, seed):
    """Who must stay together, in a seeded order that ignores the input's, largest first."""
    together = defaultdict(list)
    for registrant in sorted(registrants, key=lambda registrant: repr(registrant.id)):
        alone = registrant.party is None
        together[(0, repr(registrant.id)) if alone else (1, repr(registrant.party))].append(
            registrant
        )
    parties = [tuple(together[key]) for key in sorted(together)]
    random.Random(seed).shuffle(parties)
    return sorted(parties, key=len, reverse=True)


def _grown(team_sizes, index, added):
    grown = list(team_sizes)
    grown[index] += added
    return tuple(sorted(grown))


def _even(team_sizes, smallest, larger_teams):
    over = sum(size > smallest for size in team_sizes)
    return team_sizes[-1] <= smallest + 1 and over <= larger_teams


def _values(party):
    return [pair for member in party for pair in member.attributes]


def _added_cost(counts, party):
    """How much the sum of squared counts grows when `party` joins a team with `counts`."""
    added = Counter(_values(party))
    return sum((counts[value] + extra) ** 2 - counts[value] ** 2 for value, extra in added.items())


def _swap_while_better(teams, counts):
    """Swaps parties of one size between teams (sizes and parties hold) while it evens
    the counts: the greedy pass places each party without knowing who comes after."""
    improved = True
    while improved:
        improved = False
        for first, second in ((a, b) for a in range(len(teams)) for b in range(a + 1, len(teams))):
            for i, j in (
                (i, j) for i in range(len(teams[first])) for j in range(len(teams[second]))
            ):
                one, other = teams[first][i], teams[second][j]
                if (
                    len(one) != len(other)
                    or _swap_gain(counts[first], counts[second], one, other) <= 0
                ):
                    continue
                teams[first][i], teams[second][j] = other, one
                counts[first].subtract(_values(one))
                counts[first].update(_values(other))
                counts[second].subtract(_values(other))
                counts[second].update(_values(one))
                improved = True


def _swap_gain(first_counts, second_counts, leaving_first, leaving_second):
    out_first, out_second = Counter(_values(leaving_first)), Counter(_values(leaving_second))
    gain = 0
    for value in out_first.keys() | out_second.keys():
        moved = out_second[value] - out_first[value]
        before = first_counts[value] ** 2 + second_counts[value] ** 2
        after = (first_counts[value] + moved) ** 2 + (second_counts[value] - moved) ** 2
        gain += before - after
    return gain


def _in_order(ids):
    return tuple(sorted(ids, key=repr))


def _distinct(registrants):
    registrants = tuple(registrants)
    if len({registrant.id for registrant in registrants}) != len(registrants):
        raise ValueError("each registrant must appear once")
    return registrants
