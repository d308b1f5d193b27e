"""How long the sport day's planners take: prints figures, asserts nothing.

    .venv/bin/python bench/sport_day.py

Plain Python, no database: the planners of `eventdays/planning/` import nothing else.
Times (the median of several runs) for drawing teams (24 people in 4 teams, 48 in 8, 96
in 12, with levels, genders and parties of friends), the station rotation (4 teams × 4
stations, 8 × 6, 12 × 8), the matches (4, 6 and 8 teams on 2 or 3 courts, four sports)
under the strict rules (each team a different sport each match, parallel matches on
different sports: the time includes finding the relaxation when they admit no plan) and
under the relaxation the planner suggests, with the number of plans where counting them
is cheap, and the ranking of 12 teams after a round robin. The target for 8 teams'
matches is under 100 ms.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# isort: split

from eventdays.planning.matches import STRICT, Court, Infeasible, count_plans, plan_matches
from eventdays.planning.ranking import Placing, Score, rank
from eventdays.planning.stations import rotation
from eventdays.planning.teams import Registrant, draw_teams

RUNS = 7
SPORTS = ("football", "basket", "handball", "ping-pong")
# Counting stops here: beyond it the number says "at least".
COUNT_LIMIT = 100_000


def timed(function):
    """The median time of RUNS calls, in milliseconds, and the last call's answer."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        answer = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), answer


def report(line):
    sys.stdout.write(line + "\n")


def registrants(count, seed):
    chance = random.Random(seed)
    return [
        Registrant(
            person,
            {
                "niveau": chance.choice(("débutant", "moyen", "confirmé")),
                "genre": chance.choice("FG"),
            },
            party=person // 2 if person < count // 4 else None,
        )
        for person in range(count)
    ]


def bench_teams():
    for people, team_count in ((24, 4), (48, 8), (96, 12)):
        registered = registrants(people, seed=people)
        milliseconds, teams = timed(lambda: draw_teams(registered, team_count, seed=1))  # noqa: B023
        sizes = sorted({len(team.members) for team in teams})
        figures = f"{milliseconds:6.2f} ms, sizes {sizes}"
        report(f"teams     {people:3} people, {team_count:2} teams: {figures}")


def bench_stations():
    for team_count, station_count in ((4, 4), (8, 6), (12, 8)):
        milliseconds, plan = timed(lambda: rotation(range(team_count), range(station_count)))  # noqa: B023
        resting = len(plan.rounds[0].resting)
        report(
            f"stations  {team_count:2} teams x {station_count} stations: {milliseconds:7.3f} ms,"
            f" {len(plan.rounds)} rounds, {resting} teams resting a round"
        )


def bench_matches():
    for team_count in (4, 6, 8):
        for court_count in (2, 3):
            courts = [Court(f"terrain {n + 1}", SPORTS) for n in range(court_count)]
            teams = range(team_count)
            strict_ms, answer = timed(lambda: plan_matches(teams, courts, STRICT))  # noqa: B023
            if isinstance(answer, Infeasible):
                rules = answer.suggestion.rules
                changes = ", ".join(f"{old} -> {new}" for old, new in answer.suggestion.changes)
                verdict = f"none ({'proven' if answer.proven else 'not found'}), relax {changes}"
            else:
                rules, verdict = STRICT, "a plan"
            relaxed_ms, plan = timed(lambda: plan_matches(teams, courts, rules))  # noqa: B023
            started = time.perf_counter()
            counted = (
                count_plans(teams, courts, rules, limit=COUNT_LIMIT) if team_count <= 4 else None
            )
            count_ms = (time.perf_counter() - started) * 1000
            count = ""
            if counted is not None:
                at_least = ">= " if counted == COUNT_LIMIT else ""
                count = f", {at_least}{counted} plans counted in {count_ms:.0f} ms"
            report(
                f"matches   {team_count} teams on {court_count} courts, {len(plan.slots)} slots:"
                f" strict {strict_ms:7.2f} ms ({verdict}); relaxed {relaxed_ms:6.2f} ms{count}"
            )


def bench_ranking():
    teams = range(12)
    chance = random.Random(12)
    scores = [
        Score(home, away, chance.randint(0, 3), chance.randint(0, 3))
        for home in teams
        for away in teams
        if home < away
    ]
    placings = [
        Placing(activity, team, place)
        for activity in ("quiz", "danse", "chant", "relais")
        for place, team in enumerate(chance.sample(list(teams), 12), start=1)
    ]
    fair_play = {team: chance.randint(0, 3) for team in teams}
    milliseconds, standings = timed(lambda: rank(teams, placings, scores, fair_play))
    shared = sum(standing.ex_aequo for standing in standings)
    figures = f"{milliseconds:7.2f} ms, {shared} ex aequo"
    report(f"ranking   12 teams, {len(scores)} matches, 4 activities: {figures}")


def main():
    report(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, {RUNS} runs")
    bench_teams()
    bench_stations()
    bench_matches()
    bench_ranking()


if __name__ == "__main__":
    main()
