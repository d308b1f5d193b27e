"""Who meets whom in each round of an "Adopte un pro" speed meeting.

The pros stay at their tables (a table may seat several young people: `Pro.seats`); the
young people move from table to table, and take a break in a round when no seat suits
them. Every id is whatever hashable value the caller stores (a primary key, a slug):

- in: `SpeedMeeting(pros, young_people, rounds)`, with `Pro(id, company, sector, seats,
  arrives, leaves)` and `YoungPerson(id, wished_pros, wished_sectors, arrives, leaves)`
  (`arrives`: the first round someone late can be seated in; `leaves`: the first round
  they are gone, None if they stay to the end);
- out: `Plan(meeting, rounds, absent, played)`, each round a `Round` of `Table(pro,
  young)` in the order of `meeting.pros`; `plan.breaks(round)` says who is on a break,
  `figures(plan)` each young person's meetings, breaks and wishes met, `check(plan)` the
  rules a plan (a draft staff edited, say) breaks, as plain data a page can word.

Rounds are numbered from 0 (a page says "Tour 1" for round 0).

The rules, from the hardest: nobody meets the same pro twice, nor two pros of one company
in consecutive rounds; the seats filled and the breaks shared evenly (within one of each
other); the wishes (a named pro, or any pro of a wished sector) met as far as the seats
allow, first for those who have none met yet. `plan` solves one round at a time as an
assignment problem (`assignment.assign`) whose costs put these rules in that order, then
passes seats along between young people where a round-by-round plan left the breaks
uneven. `rotation` is the plain rotation the open-source tools do (each group moves on
one table a round), kept as the baseline.

The breaks end within one of each other whenever every table seats the same number.
With tables of different sizes, evening them out can take a seat left empty, which the
planner does not do: 11 young people, tables of 1, 1, 1, 2 and 3 seats (the last three
of one company), 3 rounds: its 23 meetings leave one person 2 breaks and another none,
where 22 would have given everyone one. `check` reports it (`UnevenBreaks`), and the
random days of the tests never found breaks more than two apart. Re-plans keep the
rounds played as they were, even when those left the breaks uneven.
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace

from .assignment import assign


@dataclass(frozen=True)
class Pro:
    id: Hashable
    company: Hashable | None = None  # None: no one to keep apart from (a counsellor)
    sector: Hashable | None = None
    seats: int = 1
    arrives: int = 0
    leaves: int | None = None  # a pro who did not come leaves at the round played

    def is_there(self, number: int):
        return self.arrives <= number and (self.leaves is None or number < self.leaves)


@dataclass(frozen=True)
class YoungPerson:
    id: Hashable
    wished_pros: tuple[Hashable, ...] = ()
    wished_sectors: tuple[Hashable, ...] = ()
    arrives: int = 0
    leaves: int | None = None

    def is_there(self, number: int):
        return self.arrives <= number and (self.leaves is None or number < self.leaves)

    @property
    def wishes(self):
        return len(self.wished_pros) + len(self.wished_sectors)


@dataclass(frozen=True)
class SpeedMeeting:
    pros: tuple[Pro, ...]
    young_people: tuple[YoungPerson, ...]
    rounds: int


@dataclass(frozen=True)
class Table:
    pro: Hashable
    young: tuple[Hashable, ...]


@dataclass(frozen=True)
class Round:
    tables: tuple[Table, ...]

    def seated(self):
        """Each seated young person's pro."""
        return {person: table.pro for table in self.tables for person in table.young}


@dataclass(frozen=True)
class Plan:
    meeting: SpeedMeeting
    rounds: tuple[Round, ...]
    absent: frozenset = frozenset()  # no-shows: there in no round
    played: int = 0  # the rounds kept as they were when this plan was made

    def is_there(self, person: YoungPerson, number: int):
        return person.id not in self.absent and person.is_there(number)

    def breaks(self, number: int):
        """Who is there in this round but at no table, in the order of the young people."""
        seated = self.rounds[number].seated()
        return tuple(
            person.id
            for person in self.meeting.young_people
            if self.is_there(person, number) and person.id not in seated
        )


@dataclass(frozen=True)
class Figures:
    meetings: int
    breaks: int
    wishes: int
    wishes_met: int


@dataclass(frozen=True)
class MetTwice:
    """Lina rencontre deux fois Garage Martin (tours 2 et 5)."""

    young: Hashable
    pro: Hashable
    rounds: tuple[int, ...]


@dataclass(frozen=True)
class OverCapacity:
    """Tour 4 : table 3 a 3 personnes pour 2 places."""

    round: int
    pro: Hashable
    seated: int
    seats: int


@dataclass(frozen=True)
class AtTwoTables:
    round: int
    young: Hashable
    pros: tuple[Hashable, ...]


@dataclass(frozen=True)
class NotThere:
    """Seated in a round the person misses (absent, or not arrived yet)."""

    round: int
    young: Hashable


@dataclass(frozen=True)
class TableClosed:
    """Tour 5 : Garage Martin n'est plus là, et Lina est à sa table."""

    round: int
    pro: Hashable
    young: tuple[Hashable, ...]


@dataclass(frozen=True)
class SameCompanyInARow:
    young: Hashable
    company: Hashable
    rounds: tuple[int, int]


@dataclass(frozen=True)
class UnevenBreaks:
    fewest: int
    most: int
    with_fewest: tuple[Hashable, ...]
    with_most: tuple[Hashable, ...]


def plan(meeting: SpeedMeeting) -> Plan:
    """The draft of the whole day, every young person there from their `arrives`."""
    return _complete(meeting, kept=(), absent=frozenset())


def replan(
    plan: Plan,
    *,
    played: int,
    absent: Iterable[Hashable] = (),
    arrivals: Iterable[YoungPerson] = (),
    pros: Iterable[Pro] = (),
) -> Plan:
    """Plans the rounds from `played` on again, under the same rules, keeping the rounds
    before it as they are. `absent`: the no-shows, seated in no round to come;
    `arrivals`: late arrivals, with the round they join from (`arrives`), and people
    leaving early (`leaves`), replacing the registered person of the same id or added
    to the young people; `pros`: the pros whose times changed, replacing those of the
    same id (a pro who did not come or has gone: `leaves`; one late: `arrives`)."""
    if not 0 <= played <= plan.meeting.rounds:
        raise ValueError(f"played must be between 0 and {plan.meeting.rounds}")
    late = {person.id: person for person in arrivals}
    young_people = [late.pop(person.id, person) for person in plan.meeting.young_people]
    changed = {pro.id: pro for pro in pros}
    unknown = set(changed) - {pro.id for pro in plan.meeting.pros}
    if unknown:
        raise ValueError(f"no such pros: {sorted(map(str, unknown))}")
    meeting = replace(
        plan.meeting,
        young_people=(*young_people, *late.values()),
        pros=tuple(changed.get(pro.id, pro) for pro in plan.meeting.pros),
    )
    return _complete(meeting, kept=plan.rounds[:played], absent=plan.absent | set(absent))


def rotation(meeting: SpeedMeeting) -> Plan:
    """The plain rotation: the young people, in order, form one group per table (as many
    as it seats) then break groups of the largest table's size; in round r, group g goes
    to table (g + r) modulo the number of groups, a break group's place being a break.
    Wishes play no part, and whoever a table cannot seat takes a break."""
    waiting = [person.id for person in meeting.young_people]
    groups = []
    for pro in meeting.pros:
        groups.append(waiting[: pro.seats])
        del waiting[: pro.seats]
    largest = max((pro.seats for pro in meeting.pros), default=1)
    while waiting:
        groups.append(waiting[:largest])
        del waiting[:largest]
    rounds = []
    for number in range(meeting.rounds):
        at_table = [()] * len(meeting.pros)
        for group_number, group in enumerate(groups):
            place = (group_number + number) % len(groups)
            if place < len(meeting.pros):
                at_table[place] = tuple(group[: meeting.pros[place].seats])
        rounds.append(_round(meeting, at_table))
    return Plan(meeting, tuple(rounds))


def figures(plan: Plan) -> dict[Hashable, Figures]:
    """Each young person's meetings (only in the rounds they were there), breaks and
    wishes met (a named pro met, or a wished sector of which they met a pro)."""
    sector_of = {pro.id: pro.sector for pro in plan.meeting.pros}
    met = _meetings(plan)
    breaks = Counter(person for number in range(len(plan.rounds)) for person in plan.breaks(number))
    result = {}
    for person in plan.meeting.young_people:
        pros = {pro for pro, _ in met[person.id]}
        sectors = {sector_of[pro] for pro in pros}
        result[person.id] = Figures(
            meetings=len(met[person.id]),
            breaks=breaks[person.id],
            wishes=person.wishes,
            wishes_met=len(pros & set(person.wished_pros))
            + len(sectors & set(person.wished_sectors)),
        )
    return result


def check(plan: Plan) -> list:
    """Every rule the plan breaks, round by round, then the breaks of those there from
    the first round if they are more than one apart. A re-plan's rounds played are not
    checked for the people missing from them: they are what happened."""
    meeting = plan.meeting
    issues = []
    seats = {pro.id: pro.seats for pro in meeting.pros}
    pro_of = {pro.id: pro for pro in meeting.pros}
    for number, round_ in enumerate(plan.rounds):
        tables_of = defaultdict(list)
        for table in round_.tables:
            if len(table.young) > seats[table.pro]:
                issues.append(OverCapacity(number, table.pro, len(table.young), seats[table.pro]))
            if table.young and number >= plan.played and not pro_of[table.pro].is_there(number):
                issues.append(TableClosed(number, table.pro, table.young))
            for person in table.young:
                tables_of[person].append(table.pro)
        for person, pros in tables_of.items():
            if len(pros) > 1:
                issues.append(AtTwoTables(number, person, tuple(pros)))
        if number >= plan.played:
            issues.extend(
                NotThere(number, person.id)
                for person in meeting.young_people
                if person.id in tables_of and not plan.is_there(person, number)
            )
    company_of = {pro.id: pro.company for pro in meeting.pros}
    for person, meetings in _meetings(plan).items():
        rounds_with = defaultdict(list)
        for pro, number in meetings:
            rounds_with[pro].append(number)
        issues.extend(
            MetTwice(person, pro, tuple(rounds))
            for pro, rounds in rounds_with.items()
            if len(rounds) > 1
        )
        companies = {(number, company_of[pro]) for pro, number in meetings}
        issues.extend(
            SameCompanyInARow(person, company, (number, number + 1))
            for number, company in sorted(companies, key=lambda pair: pair[0])
            if company is not None and (number + 1, company) in companies
        )
    counts = figures(plan)
    breaks = {  # late arrivals and those who left had fewer rounds to take breaks in
        person.id: counts[person.id].breaks
        for person in meeting.young_people
        if plan.is_there(person, 0) and person.leaves is None
    }
    if breaks and max(breaks.values()) - min(breaks.values()) > 1:
        fewest, most = min(breaks.values()), max(breaks.values())
        issues.append(
            UnevenBreaks(
                fewest,
                most,
                tuple(person for person, count in breaks.items() if count == fewest),
                tuple(person for person, count in breaks.items() if count == most),
            )
        )
    return issues


def _meetings(plan: Plan) -> dict[Hashable, list[tuple[Hashable, int]]]:
    """Each young person's (pro, round) meetings, in the rounds they were there (every
    table a draft lists them at)."""
    met = {person.id: [] for person in plan.meeting.young_people}
    people = {person.id: person for person in plan.meeting.young_people}
    for number, round_ in enumerate(plan.rounds):
        for table in round_.tables:
            for person in table.young:
                if plan.is_there(people[person], number):
                    met[person].append((table.pro, number))
    return met


def _round(meeting: SpeedMeeting, at_table) -> Round:
    return Round(
        tuple(
            Table(pro.id, tuple(young)) for pro, young in zip(meeting.pros, at_table, strict=True)
        )
    )


@dataclass
class _Progress:
    """What one young person's rounds so far leave the next round to weigh."""

    met: set = field(default_factory=set)
    sectors_met: set = field(default_factory=set)
    wish_met: bool = False
    without_meeting: int = 0  # breaks, and the rounds a late arrival missed
    last_company: Hashable | None = None


def _complete(meeting: SpeedMeeting, *, kept: tuple[Round, ...], absent: frozenset) -> Plan:
    """The plan keeping the rounds `kept`, the others planned one at a time."""
    pros = {pro.id: pro for pro in meeting.pros}
    progress = {person.id: _Progress() for person in meeting.young_people}
    sketch = Plan(meeting, kept, absent, played=len(kept))
    rounds = list(kept)
    for number in range(meeting.rounds):
        there = [person for person in meeting.young_people if sketch.is_there(person, number)]
        if number >= len(kept):
            rounds.append(_plan_round(meeting, number, there, progress))
        seated = rounds[number].seated()
        for person in meeting.young_people:
            state = progress[person.id]
            pro = pros.get(seated.get(person.id)) if sketch.is_there(person, number) else None
            state.last_company = pro.company if pro else None
            if pro:
                state.met.add(pro.id)
                state.sectors_met.add(pro.sector)
                state.wish_met |= pro.id in person.wished_pros
                state.wish_met |= pro.sector in person.wished_sectors
            else:
                state.without_meeting += 1
    return _even_out_breaks(Plan(meeting, tuple(rounds), absent, played=len(kept)))


def _even_out_breaks(plan: Plan) -> Plan:
    """Round by round, the planner cannot see that someone will run out of pros to meet
    at the end. While someone has had two rounds without a meeting more than someone
    else (breaks, or rounds a late arrival missed), pass seats along a chain in the
    rounds planned: the one with most takes, in a round they are on a break, the seat of
    someone who takes another's in a round they are on a break, and so on to someone
    with two fewer; each takes only a pro they have not met, never after or before a pro
    of the same company. Each chain lowers the sum of the squares of those counts, so
    the loop ends."""
    meeting = plan.meeting
    company_of = {pro.id: pro.company for pro in meeting.pros}
    people = {person.id: person for person in meeting.young_people}
    seated = [round_.seated() for round_ in plan.rounds]
    met = {person: {pro for pro, _ in meetings} for person, meetings in _meetings(plan).items()}
    without = {
        person: len(plan.rounds) - len(meetings)
        for person, meetings in _meetings(plan).items()
        if person not in plan.absent
    }

    def may_take(person, number, pro):
        company = company_of[pro]
        return (
            person not in seated[number]
            and plan.is_there(people[person], number)
            and pro not in met[person]
            and not any(
                company is not None
                and 0 <= near < len(seated)
                and company_of.get(seated[near].get(person)) == company
                for near in (number - 1, number + 1)
            )
        )

    def chain_from(first):
        """[(taker, giver, round)] from `first` to someone with two fewer."""
        came_from, queue = {first: None}, [first]
        for taker in queue:
            for number in range(plan.played, len(seated)):
                for giver, pro in seated[number].items():
                    if giver in came_from or giver not in without:
                        continue
                    if may_take(taker, number, pro):
                        came_from[giver] = (taker, number)
                        if without[giver] <= without[first] - 2:
                            links, person = [], giver
                            while came_from[person]:
                                before, round_number = came_from[person]
                                links.append((before, person, round_number))
                                person = before
                            return links
                        queue.append(giver)
        return None

    while without and max(without.values()) - min(without.values()) > 1:
        most = max(without.values())
        with_most = [person for person, count in without.items() if count == most]
        chain = next(filter(None, map(chain_from, with_most)), None)
        if not chain:
            break
        for taker, giver, number in chain:
            pro = seated[number].pop(giver)
            seated[number][taker] = pro
            met[giver].discard(pro)
            met[taker].add(pro)
        without[chain[-1][0]] -= 1
        without[chain[0][1]] += 1
    rounds = [
        Round(
            tuple(
                Table(
                    table.pro,
                    tuple(person for person, at in seated[number].items() if at == table.pro),
                )
                for table in round_.tables
            )
        )
        for number, round_ in enumerate(plan.rounds)
    ]
    return replace(plan, rounds=tuple(rounds))


# Wish gains, in units of the tie-break's whole range: a named pro counts more than a
# sector, and any wish of someone with none met yet more than any of someone else's.
NAMED_PRO, SECTOR, FIRST_WISH = 2, 1, 4


def _plan_round(meeting: SpeedMeeting, number: int, there, progress) -> Round:
    """One round as an assignment of young people to seats. A seat costs what its wishes
    save, minus the break it spares, whose cost grows as the square of the rounds
    without a meeting so far (one more for the fewest is cheaper than one more for the
    most, and a late arrival is seated first); a pro
    met already, or of the company met just before, costs so much that it means a break.
    Each of these outweighs the sum of all the lesser ones over every row, so the least
    total cost fills the seats, shares the breaks, then meets the wishes, in that order;
    ties follow the plain rotation (person i at table i + r)."""
    pros = meeting.pros
    rows = len(there)
    tie_range = len(pros)
    wish_unit = rows * tie_range + 1
    break_unit = rows * wish_unit * (NAMED_PRO + SECTOR + FIRST_WISH + 1)
    forbidden = 2 * rows * break_unit * (meeting.rounds + 1) ** 2
    seat_pros = [
        index for index, pro in enumerate(pros) if pro.is_there(number) for _ in range(pro.seats)
    ]
    index_of = {person.id: index for index, person in enumerate(meeting.young_people)}
    costs = []
    for person in there:
        state = progress[person.id]
        spared = break_unit * (state.without_meeting + 1) ** 2
        per_pro = []
        for index, pro in enumerate(pros):
            if pro.id in state.met or (
                pro.company is not None and pro.company == state.last_company
            ):
                per_pro.append(forbidden)
                continue
            gain = NAMED_PRO * (pro.id in person.wished_pros)
            gain += SECTOR * (
                pro.sector in person.wished_sectors and pro.sector not in state.sectors_met
            )
            if gain and not state.wish_met:
                gain += FIRST_WISH
            tie = (index - index_of[person.id] - number) % tie_range
            per_pro.append(tie - gain * wish_unit - spared)
        costs.append([per_pro[index] for index in seat_pros])
    at_table = [[] for _ in pros]
    for person, column, line in zip(there, assign(costs), costs, strict=True):
        if column is not None and line[column] < forbidden:
            at_table[seat_pros[column]].append(person.id)
    return _round(meeting, at_table)
