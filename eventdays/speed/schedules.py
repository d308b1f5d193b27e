"""What the pages of a speed meeting show, read from the published plan (or the draft,
for staff): each young person's rounds, the grid of rounds × tables with the planner's
figures and the rules it breaks in words, each pro's table, and the big screen. Each
costs the same queries whatever the number of people and tables."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from booking.models import Registration

from ..models import Seat
from ..planning import speed_meeting as planner
from .timetable import Phase, moment, round_end, round_start


@dataclass(frozen=True)
class Slot:
    number: int  # from 0: "Tour 1" is 0
    start: object
    end: object
    pro: object  # None: a break

    @property
    def label(self):
        return self.number + 1


def person_schedule(meeting, registration):
    """The young person's rounds in the published plan, breaks included (one query)."""
    seats = {
        seat.round: seat.pro
        for seat in Seat.objects.filter(registration=registration, published=True).select_related(
            "pro"
        )
    }
    if not meeting.published_at:
        return []
    return [
        Slot(number, round_start(meeting, number), round_end(meeting, number), seats.get(number))
        for number in range(meeting.rounds)
    ]


def names(registrations):
    """Each registration's first name as a page shows it: "Lina", or "Lina 2" when two
    share it (in the order they registered), "Anonyme" once the person is erased."""
    counts = defaultdict(int)
    for row in registrations:
        counts[_first_name(row)] += 1
    seen = defaultdict(int)
    result = {}
    for row in registrations:
        name = _first_name(row)
        seen[name] += 1
        result[row.pk] = f"{name} {seen[name]}" if counts[name] > 1 else name
    return result


def _first_name(registration):
    person = registration.young_person
    return person.first_name if person is not None else _("Anonymous")


@dataclass(frozen=True)
class Cell:
    pro: object
    people: list  # names
    over: bool


@dataclass(frozen=True)
class GridRound:
    number: int
    start: object
    cells: list
    breaks: list  # names

    @property
    def label(self):
        return self.number + 1


def grid(meeting, state):
    """The plan of `state` (services.state) as rounds of cells, one per table."""
    plan = state.plan
    shown = names(list(state.registrations.values()))
    rounds = []
    for number, round_ in enumerate(plan.rounds):
        cells = []
        for table in round_.tables:
            pro = state.pros[table.pro]
            people = [shown[person] for person in table.young]
            cells.append(Cell(pro, people, len(people) > pro.seats))
        breaks = [shown[person] for person in plan.breaks(number)]
        rounds.append(GridRound(number, round_start(meeting, number), cells, breaks))
    return rounds


@dataclass(frozen=True)
class Summary:
    wishes: int
    wishes_met: int
    meetings_min: int
    meetings_max: int
    breaks_min: int
    breaks_max: int
    without_wish_met: int  # of those who wished something

    @property
    def share(self):
        return round(100 * self.wishes_met / self.wishes) if self.wishes else None


def summary(plan):
    """The planner's figures of the young people there (absent ones aside)."""
    figures = [
        counts for person, counts in planner.figures(plan).items() if person not in plan.absent
    ]
    if not figures:
        return None
    return Summary(
        wishes=sum(f.wishes for f in figures),
        wishes_met=sum(f.wishes_met for f in figures),
        meetings_min=min(f.meetings for f in figures),
        meetings_max=max(f.meetings for f in figures),
        breaks_min=min(f.breaks for f in figures),
        breaks_max=max(f.breaks for f in figures),
        without_wish_met=sum(1 for f in figures if f.wishes and not f.wishes_met),
    )


def issues_in_words(state):
    """Every rule the plan breaks, as staff read it ("Lina rencontre deux fois Garage
    Martin (tours 2 et 5)")."""
    shown = names(list(state.registrations.values()))

    def pro(pk):
        return state.pros[pk].label

    def rounds(numbers):
        return _(" and ").join(str(number + 1) for number in numbers)

    words = []
    for issue in planner.check(state.plan):
        if isinstance(issue, planner.MetTwice):
            text = _("%(young)s meets %(pro)s twice (rounds %(rounds)s)") % {
                "young": shown[issue.young],
                "pro": pro(issue.pro),
                "rounds": rounds(issue.rounds),
            }
        elif isinstance(issue, planner.OverCapacity):
            text = _(
                "Round %(round)s: table %(table)s has %(seated)s young people for %(seats)s seats"
            ) % {
                "round": issue.round + 1,
                "table": state.pros[issue.pro].table,
                "seated": issue.seated,
                "seats": issue.seats,
            }
        elif isinstance(issue, planner.AtTwoTables):
            text = _("Round %(round)s: %(young)s is at two tables") % {
                "round": issue.round + 1,
                "young": shown[issue.young],
            }
        elif isinstance(issue, planner.NotThere):
            text = _("Round %(round)s: %(young)s is seated but will not be there") % {
                "round": issue.round + 1,
                "young": shown[issue.young],
            }
        elif isinstance(issue, planner.TableClosed):
            text = _("Round %(round)s: %(pro)s is not there, and %(young)s is at their table") % {
                "round": issue.round + 1,
                "pro": pro(issue.pro),
                "young": ", ".join(shown[person] for person in issue.young),
            }
        elif isinstance(issue, planner.SameCompanyInARow):
            text = _("%(young)s meets %(company)s twice in a row (rounds %(rounds)s)") % {
                "young": shown[issue.young],
                "company": next(
                    p.company for p in state.pros.values() if p.company.casefold() == issue.company
                ),
                "rounds": rounds(issue.rounds),
            }
        else:  # UnevenBreaks
            text = _(
                "Breaks are uneven: %(most)s for %(with_most)s, %(fewest)s for %(with_fewest)s"
            ) % {
                "most": issue.most,
                "fewest": issue.fewest,
                "with_most": ", ".join(shown[person] for person in issue.with_most),
                "with_fewest": ", ".join(shown[person] for person in issue.with_fewest),
            }
        words.append(text)
    return words


def pro_schedule(meeting, pro):
    """Who sits at the pro's table in each published round (one query)."""
    at = defaultdict(list)
    seats = Seat.objects.filter(pro=pro, published=True).select_related(
        "registration__young_person"
    )
    for seat in seats:
        at[seat.round].append(seat.registration)
    if not meeting.published_at:
        return []
    return [
        (number + 1, round_start(meeting, number), list(names(at[number]).values()))
        for number in range(meeting.rounds)
    ]


@dataclass(frozen=True)
class Screen:
    moment: object
    shown_round: int | None  # the round whose tables are listed (from 0)
    seated: list  # (name, table), by name
    breaks: list  # names
    seconds_left: int

    @property
    def minutes_left(self):
        return (self.seconds_left + 59) // 60


def screen(meeting, now):
    """The big screen: the round under way (or about to start) and where each person
    goes, from the published plan (two queries)."""
    at = moment(meeting, now)
    if at.phase == Phase.OVER or not meeting.published_at:
        return Screen(at, None, [], [], 0)
    rows = meeting.date.registrations.filter(speed_seats__published=True).distinct()
    rows = list(rows.select_related("young_person").order_by("created_at", "pk"))
    tables = dict(
        Seat.objects.filter(meeting=meeting, published=True, round=at.round).values_list(
            "registration_id", "pro__table"
        )
    )
    shown = names(rows)
    there = sorted(
        (row for row in rows if row.status != Registration.Status.NO_SHOW),
        key=lambda row: shown[row.pk].casefold(),
    )
    seated = [(shown[row.pk], tables[row.pk]) for row in there if row.pk in tables]
    breaks = [shown[row.pk] for row in there if row.pk not in tables]
    return Screen(at, at.round, seated, breaks, at.seconds_left(now))
