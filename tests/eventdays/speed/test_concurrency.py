"""Real races on a speed meeting, on SQLite and PostgreSQL, in a process of their own
(tests.eventdays.speed.race): pros taking tables at the same instant get one number
each, and staff starting the next round at once start it once."""

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing

import pytest
from django.db import connection

from tests.booking.concurrency_processes import own_postgres_database, subprocess_environment
from tests.support import ROOT

SETTINGS = "tests.booking.concurrency_settings"
AT_ONCE = 12


def race(database_url, var_dir, *arguments):
    result = subprocess.run(
        [sys.executable, "-m", "tests.eventdays.speed.race", *arguments, str(AT_ONCE)],
        cwd=ROOT,
        env=subprocess_environment(SETTINGS, database_url, var_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def check(outcome):
    assert outcome["pros"] == ["ok"] * AT_ONCE
    assert sorted(outcome["tables"]) == list(range(1, AT_ONCE + 1))
    assert Counter(outcome["rounds"]) == {"started": 1, "already": AT_ONCE - 1}


@pytest.fixture(scope="module")
def sqlite_copy(django_db_setup, django_db_blocker, tmp_path_factory):
    """A file copy of the migrated SQLite test database, made outside any test's
    transaction (as tests.booking.test_concurrency does), or None on PostgreSQL."""
    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            return None
        database = tmp_path_factory.mktemp("speed-race") / "race.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(database)) as copy:
            connection.connection.backup(copy)
        return database


@pytest.mark.django_db
def test_sqlite_pros_taking_tables_at_once_get_one_each_and_a_round_starts_once(
    sqlite_copy, tmp_path
):
    if sqlite_copy is None:
        pytest.skip("the SQLite race copies the SQLite test database")
    check(race(f"sqlite:///{sqlite_copy}", tmp_path))


@pytest.mark.postgres
def test_postgres_pros_taking_tables_at_once_get_one_each_and_a_round_starts_once(
    postgres_url, tmp_path
):
    with own_postgres_database(postgres_url, "passerelle_speed_race") as url:
        check(race(url, tmp_path, "--migrate"))
