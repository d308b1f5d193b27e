"""Referees typing one result at once never lose a score silently: of RACERS phones that
opened the same match (or the same activity's placings) and send at the same instant,
on a SQLite file with the site's settings (WAL, IMMEDIATE transactions) and on
PostgreSQL, exactly one is saved and the others are told someone typed meanwhile; the
row holds the winner's result whole, its version and the day's results version moved
once. The conditional UPDATE on the version decides, not the code's order."""

import json
import sqlite3
import subprocess
import sys
from contextlib import closing

import psycopg
import pytest
from django.db import connection

from tests.booking.concurrency_processes import own_postgres_database, subprocess_environment
from tests.support import ROOT

RACERS = 12
RUNS = 3
SETTINGS = "config.settings.test"


def run(environment, *arguments):
    result = subprocess.run(
        [sys.executable, "-m", "tests.eventdays.sport.concurrency_race", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def check_races(environment, query, migrate=()):
    for number in range(RUNS):
        rows = run(environment, "prepare", *(migrate if number == 0 else ()))
        outcomes = run(environment, "scores", str(rows["match"]), str(RACERS))
        assert sorted(outcomes) == ["refused"] * (RACERS - 1) + ["saved"], outcomes
        winner = outcomes.index("saved")
        assert query(
            "SELECT home_score, away_score, version FROM eventdays_match WHERE id = {}",
            rows["match"],
        ) == (winner, 100 + winner, 1)
        outcomes = run(environment, "placings", str(rows["station"]), str(RACERS))
        assert sorted(outcomes) == ["refused"] * (RACERS - 1) + ["saved"], outcomes
        first = query(
            "SELECT count(*), min(place), max(place) FROM eventdays_placing WHERE station_id = {}",
            rows["station"],
        )
        assert first == (4, 1, 4)
        assert query(
            "SELECT results_version FROM eventdays_sportday WHERE id = {}", rows["day"]
        ) == (2,)


@pytest.fixture(scope="module")
def sqlite_copy(django_db_setup, django_db_blocker, tmp_path_factory):
    """A SQLite file of the test database, copied before any test's transaction holds
    it (a migrated copy saves a minute of migrations); (path, migrate arguments)."""
    directory = tmp_path_factory.mktemp("sport-race-sqlite")
    database = directory / "passerelle.sqlite3"
    migrate = ("--migrate",)
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            assert connection.creation.is_in_memory_db(connection.settings_dict["NAME"])
            connection.ensure_connection()
            with closing(sqlite3.connect(database)) as copy:
                connection.connection.backup(copy)
            migrate = ()
    return directory, database, migrate


@pytest.mark.django_db
def test_sqlite_one_result_saved_of_many_typed_at_once(sqlite_copy):
    directory, database, migrate = sqlite_copy
    environment = subprocess_environment(SETTINGS, f"sqlite:///{database}", directory)

    def query(sql, *params):
        with closing(sqlite3.connect(database)) as reader:
            return reader.execute(sql.replace("{}", "?"), params).fetchone()

    check_races(environment, query, migrate)


@pytest.mark.postgres
def test_postgres_one_result_saved_of_many_typed_at_once(postgres_url, tmp_path):
    with own_postgres_database(postgres_url, "passerelle_sport_race") as url:
        environment = subprocess_environment(SETTINGS, url, tmp_path)

        def query(sql, *params):
            with psycopg.connect(url) as reader:
                return tuple(reader.execute(sql.replace("{}", "%s"), params).fetchone())

        check_races(environment, query, ("--migrate",))
