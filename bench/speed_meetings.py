"""How long the "Adopte un pro" planner takes, and how well it does against the plain
rotation: prints figures, asserts nothing.

    .venv/bin/python bench/speed_meetings.py

The study's cases (young people x pros x rounds x seats a table), each young person
wishing 3 pros, the first pros the likeliest (weights 1, 1/2, 1/3...), no companies:
10x10x8x1, 30x10x9x2, 30x10x9x2 where everyone wishes 3 of the same 4 "hot" pros,
40x12x10x3 and 60x15x10x3; then 60x15x10x3 again with the pros two by two of one company
and a sector each, half of the young people wishing one. For each, the planner and the
rotation: median time, share of wishes met (and the most the seats allow: a pro meets
at most seats x rounds of those who wished them), young people with none and with all
of their wishes met, min-max meetings and breaks, pros met twice, two pros of one
company in a row. Then the re-plan after round 2 with 3 no-shows, 2 late arrivals and
the first pro gone,
and the follow-ups of the day (each young person choosing 3 of the pros they met, each
pro marking a third of theirs, a third of the pros counsellors following 3 each). The
planner is plain Python: nothing here needs Django or a database. The last line reads
`speed-meetings 60x15x10x3: planner <s> s, ...`.
"""

import os
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# isort: split

from eventdays.planning.assignment import assign
from eventdays.planning.follow_ups import Choice, Marks, follow_ups
from eventdays.planning.speed_meeting import (
    MetTwice,
    Pro,
    SameCompanyInARow,
    SpeedMeeting,
    YoungPerson,
    check,
    figures,
    plan,
    replan,
    rotation,
)

RUNS = 5
SECTORS = ("bâtiment", "commerce", "santé", "transport", "industrie")


def report(line):
    sys.stdout.write(line + "\n")


def timed(function, *args, **kwargs):
    """The result and the median wall time of RUNS calls."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def meeting(young, pros, rounds, seats, *, hot=False, companies=False, seed=2026):
    draw = random.Random(seed)
    everyone = [
        Pro(
            f"pro-{index}",
            company=f"company-{index // 2}" if companies else None,
            sector=SECTORS[index % len(SECTORS)] if companies else None,
            seats=seats,
        )
        for index in range(pros)
    ]
    weights = [1 / (rank + 1) for rank in range(pros)]
    people = []
    for index in range(young):
        if hot:
            wished = draw.sample(range(4), 3)
        else:
            wished = set()
            while len(wished) < 3:
                wished.add(draw.choices(range(pros), weights)[0])
        sectors = (draw.choice(SECTORS),) if companies and index % 2 else ()
        people.append(
            YoungPerson(
                f"young-{index}",
                wished_pros=tuple(f"pro-{pro}" for pro in sorted(wished)),
                wished_sectors=sectors,
            )
        )
    return SpeedMeeting(tuple(everyone), tuple(people), rounds)


def named_wishes_bound(meeting):
    """The share of wishes the seats allow at most: a pro meets no more than seats x
    rounds of the young people who wished them (sector wishes counted as met)."""
    wishers = {pro.id: 0 for pro in meeting.pros}
    for person in meeting.young_people:
        for wished in person.wished_pros:
            wishers[wished] += 1
    reachable = sum(min(wishers[pro.id], pro.seats * meeting.rounds) for pro in meeting.pros) + sum(
        len(person.wished_sectors) for person in meeting.young_people
    )
    return reachable / sum(person.wishes for person in meeting.young_people)


def quality(a_plan):
    """The figures of the young people who came."""
    counts = [person for id, person in figures(a_plan).items() if id not in a_plan.absent]
    issues = check(a_plan)
    meetings = [person.meetings for person in counts]
    breaks = [person.breaks for person in counts]
    wishes = sum(person.wishes for person in counts)
    return {
        "wishes": sum(person.wishes_met for person in counts) / wishes,
        "none": sum(1 for person in counts if person.wishes and not person.wishes_met),
        "all": sum(1 for person in counts if person.wishes_met == person.wishes),
        "meetings": f"{min(meetings)}-{max(meetings)}",
        "breaks": f"{min(breaks)}-{max(breaks)}",
        "repeats": sum(1 for issue in issues if isinstance(issue, MetTwice)),
        "in a row": sum(1 for issue in issues if isinstance(issue, SameCompanyInARow)),
    }


def line(label, method, seconds, figures_of):
    return (
        f"{label:<26} {method:<9} {seconds * 1000:7.1f} ms  wishes {figures_of['wishes']:.2f}  "
        f"none {figures_of['none']:>2}  all {figures_of['all']:>2}  "
        f"meetings {figures_of['meetings']:>5}  breaks {figures_of['breaks']:>5}  "
        f"repeats {figures_of['repeats']:>2}  in a row {figures_of['in a row']:>3}"
    )


def check_in(first):
    """Two rounds played: 3 registered people never came, 2 walk in for the third, and
    the first pro has to leave."""
    no_shows = [person.id for person in first.meeting.young_people[:3]]
    walk_ins = [YoungPerson(f"walk-in-{index}", arrives=2) for index in range(2)]
    gone = replace(first.meeting.pros[0], leaves=2)
    return replan(first, played=2, absent=no_shows, arrivals=walk_ins, pros=[gone])


def the_day_after(a_plan):
    """Each young person chooses 3 of the pros they met; each pro marks a third of
    theirs; the first third of the pros are counsellors who can follow 3 each."""
    draw = random.Random(14)
    met = {person.id: [] for person in a_plan.meeting.young_people}
    seen = {pro.id: [] for pro in a_plan.meeting.pros}
    for round_ in a_plan.rounds:
        for table in round_.tables:
            for person in table.young:
                met[person].append(table.pro)
                seen[table.pro].append(person)
    choices = [
        Choice(person, tuple(draw.sample(pros, min(3, len(pros))))) for person, pros in met.items()
    ]
    marks = [
        Marks(pro, tuple(draw.sample(people, len(people) // 3))) for pro, people in seen.items()
    ]
    counsellors = {pro.id: 3 for pro in a_plan.meeting.pros[: len(a_plan.meeting.pros) // 3]}
    return list(met), choices, marks, counsellors


def main():
    report(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, {RUNS} runs")
    draw = random.Random(30)
    square = [[draw.randint(0, 1000) for _ in range(30)] for _ in range(30)]
    _, seconds = timed(assign, square)
    report(f"{'assignment 30x30':<26} {seconds * 1000:7.1f} ms")
    cases = [
        ("10x10x8x1", meeting(10, 10, 8, 1)),
        ("30x10x9x2", meeting(30, 10, 9, 2)),
        ("30x10x9x2 hot pros", meeting(30, 10, 9, 2, hot=True)),
        ("40x12x10x3", meeting(40, 12, 10, 3)),
        ("60x15x10x3", meeting(60, 15, 10, 3)),
        ("60x15x10x3 companies", meeting(60, 15, 10, 3, companies=True)),
    ]
    summary = None
    for label, day in cases:
        rotated, rotation_seconds = timed(rotation, day)
        planned, seconds = timed(plan, day)
        report(f"{label:<26} at most {named_wishes_bound(day):.2f} of the wishes can be met")
        report(line("", "rotation", rotation_seconds, quality(rotated)))
        report(line("", "planner", seconds, quality(planned)))
        again, replan_seconds = timed(check_in, planned)
        replanned = quality(again)
        report(
            f"{'':<26} re-plan   {replan_seconds * 1000:7.1f} ms  (after 2 rounds: 3 no-shows, "
            f"2 walk-ins, a pro gone) meetings {replanned['meetings']}, "
            f"breaks {replanned['breaks']}, {len(check(again))} rules broken"
        )
        answers, matching_seconds = timed(follow_ups, *the_day_after(planned))
        followed = sum(
            1 for answer in answers.values() if answer.counsellor is not None or answer.handovers
        )
        report(
            f"{'':<26} follow-ups {matching_seconds * 1000:6.1f} ms  "
            f"{followed}/{len(answers)} young people followed up"
        )
        if label == "60x15x10x3":
            summary = (
                f"speed-meetings {label}: planner {seconds:.3f} s, wishes "
                f"{quality(planned)['wishes']:.2f} vs rotation {quality(rotated)['wishes']:.2f}, "
                f"meetings {quality(planned)['meetings']} vs {quality(rotated)['meetings']}, "
                f"re-plan {replan_seconds:.3f} s, follow-ups {matching_seconds * 1000:.1f} ms"
            )
    report(summary)


if __name__ == "__main__":
    main()
