"""Referees typing at once, in a process of its own on a real database (a SQLite file
or PostgreSQL), each thread with its own connection, released together by a barrier:

    python -m tests.eventdays.sport.concurrency_race prepare [--migrate]  -> JSON: the rows
    python -m tests.eventdays.sport.concurrency_race scores MATCH N      -> JSON: outcomes
    python -m tests.eventdays.sport.concurrency_race placings STATION N  -> JSON: outcomes

Every racer sends its own result for the row at version 0, as phones that all opened the
page before anyone saved. Rows are written directly: the race is about the results."""

import argparse
import json
import sys
import threading
from datetime import timedelta

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from booking.models import EventDate  # noqa: E402
from eventdays.sport import services  # noqa: E402
from eventdays.sport.models import Court, Match, SportDay, Station, Team, Visit  # noqa: E402
from structures.models import Structure  # noqa: E402


def prepare():
    start = timezone.now() + timedelta(days=1)
    date = EventDate.objects.create(
        structure=Structure.default(),
        key=f"race-{timezone.now().timestamp()}",
        title="Course",
        start=start,
        end=start + timedelta(hours=6),
    )
    day = SportDay.objects.create(date=date, state=SportDay.State.PUBLISHED)
    teams = [Team.objects.create(sport_day=day, number=n, name=f"T{n}") for n in range(1, 5)]
    court = Court.objects.create(sport_day=day, name="A", sports="Football")
    station = Station.objects.create(sport_day=day, name="Quiz")
    match = Match.objects.create(
        sport_day=day, slot=1, court=court, sport="Football", home=teams[0], away=teams[1]
    )
    Visit.objects.bulk_create(
        Visit(sport_day=day, round=round, team=team, station=station)
        for round, team in enumerate(teams, start=1)
    )
    return {"day": day.pk, "match": match.pk, "station": station.pk}


def race(count, attempt):
    """Runs attempt(number) in `count` threads released together: [(number, outcome)]."""
    barrier = threading.Barrier(count, timeout=60)
    outcomes = [None] * count

    def run(number):
        try:
            barrier.wait()
            attempt(number)
            outcomes[number] = "saved"
        except services.ResultChanged:
            outcomes[number] = "refused"
        except Exception as error:  # noqa: BLE001  (reported to the test, which fails)
            outcomes[number] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def scores(match_id, count):
    def attempt(number):
        match = Match.objects.get(pk=match_id)
        services.record_score(match, home_score=number, away_score=100 + number, version=0)

    return race(count, attempt)


def placings(station_id, count):
    def attempt(number):
        station = Station.objects.get(pk=station_id)
        teams = sorted(station.visits.values_list("team_id", flat=True))
        # Racer n puts team n % 4 first, the others after it in order.
        first = teams[number % len(teams)]
        order = [first, *(team for team in teams if team != first)]
        places = {team: place for place, team in enumerate(order, start=1)}
        services.record_placings(station, places, version=0)

    return race(count, attempt)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["prepare", "scores", "placings"])
    parser.add_argument("row", type=int, nargs="?")
    parser.add_argument("count", type=int, nargs="?")
    parser.add_argument("--migrate", action="store_true")
    arguments = parser.parse_args()
    if arguments.command == "prepare":
        if arguments.migrate:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        answer = prepare()
    elif arguments.command == "scores":
        answer = scores(arguments.row, arguments.count)
    else:
        answer = placings(arguments.row, arguments.count)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
