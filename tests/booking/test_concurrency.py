"""Forty people book the same slot at the same instant: exactly one gets it, or N of them
for a session of N seats; everyone else is told at once, nobody gets an error page.

A real server process (Django's threaded server, as runserver: one thread and one
database connection per request) serves the requests, once on a SQLite file with the
site's settings (WAL, IMMEDIATE transactions) and once on PostgreSQL, where the overlap
guard of migration 0003 also has to hold on its own. A barrier releases the requests
together.

To aim these tests at another endpoint (the public API), change SETTINGS, ENDPOINT and
`request_body`: the payload already has the API's shape, and a 409 carries
{"detail": message}.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import psycopg
import pytest
from django.db import connection
from django.utils import translation

from booking.services import SlotTaken
from tests.support import ROOT

SETTINGS = "tests.booking.concurrency_settings"
ENDPOINT = "/book/"
REQUESTS = 40
PORTS = range(8150, 8200)
SERVER_START_TIMEOUT = 60


def request_body(slot, number):
    return {
        **slot,
        "first_name": f"Personne {number}",
        "email": f"p{number}@example.org",
        "consent": True,
    }


@dataclass
class Server:
    url: str
    slots: dict
    query: object  # query(sql, params) -> first column of the first row

    def count(self, sql, *params):
        return self.query(sql, params)


def fire(url, slot):
    """POST REQUESTS bookings of `slot` at the same instant; [(status, body)]."""
    barrier = threading.Barrier(REQUESTS, timeout=60)

    def post(number):
        request = urllib.request.Request(
            url,
            data=json.dumps(request_body(slot, number)).encode(),
            headers={"Content-Type": "application/json", "Accept-Language": "fr"},
            method="POST",
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, body.decode(errors="replace")[:500]

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return list(pool.map(post, range(REQUESTS)))


def assert_exactly(results, winners):
    statuses = Counter(status for status, _body in results)
    assert not [status for status in statuses if status >= 500], results
    assert statuses == {201: winners, 409: REQUESTS - winners}, statuses
    with translation.override("fr"):
        taken = str(SlotTaken.default_message)
    assert {body["detail"] for status, body in results if status == 409} == {taken}


def check_individual_slot(server):
    results = fire(server.url, server.slots["individual"])
    assert_exactly(results, winners=1)
    rows = server.count(
        "SELECT count(*) FROM booking_booking WHERE counsellor_id = {} "
        "AND group_session_id IS NULL AND status = 'confirmed'",
        server.slots["counsellor_id"],
    )
    assert rows == 1


def check_group_session(server):
    seats = server.slots["seats"]
    results = fire(server.url, server.slots["group"])
    assert_exactly(results, winners=seats)
    booked = server.count(
        "SELECT seats_booked FROM booking_groupsession WHERE counsellor_id = {}",
        server.slots["counsellor_id"],
    )
    rows = server.count(
        "SELECT count(*) FROM booking_booking WHERE group_session_id IS NOT NULL "
        "AND status = 'confirmed'"
    )
    assert booked == rows == seats


# Server processes ---------------------------------------------------------------------


def server_environment(database_url, var_dir):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        PASSERELLE_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    return environment


def run_db_command(environment, *arguments):
    result = subprocess.run(
        [sys.executable, "-m", "tests.booking.concurrency_db", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"No free port in {PORTS.start}-{PORTS.stop - 1}")


@contextmanager
def running_server(environment, log_path):
    """The server on a free port; yields its base URL and stops it afterwards."""
    port = free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.booking.concurrency_server", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(base + ENDPOINT, timeout=5)
            except urllib.error.HTTPError:
                break  # 405 for a GET: the server answers.
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"The server did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def sqlite_server(django_db_setup, django_db_blocker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("concurrency-sqlite")
    database = directory / "passerelle.sqlite3"
    migrate = []
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            # The test database is already migrated: a copy saves a minute of migrations.
            # (The tests' django_db mark makes pytest-django create it even when they run
            # alone; without it this connection would be the development database.)
            assert connection.creation.is_in_memory_db(connection.settings_dict["NAME"])
            connection.ensure_connection()
            with closing(sqlite3.connect(database)) as copy:
                connection.connection.backup(copy)
        else:
            migrate = ["--migrate"]
    environment = server_environment(f"sqlite:///{database}", directory)
    slots = run_db_command(environment, "prepare", *migrate)

    def query(sql, params):
        with closing(sqlite3.connect(database)) as reader:
            return reader.execute(sql.replace("{}", "?"), params).fetchone()[0]

    with running_server(environment, directory / "server.log") as base:
        yield Server(base + ENDPOINT, slots, query)


@pytest.fixture(scope="module")
def postgres_database(postgres_url, tmp_path_factory):
    """A database of its own on the test server, migrated by a separate process."""
    name = f"passerelle_concurrency_{uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    directory = tmp_path_factory.mktemp("concurrency-postgres")
    environment = server_environment(url, directory)
    try:
        slots = run_db_command(environment, "prepare", "--migrate")
        yield url, environment, directory, slots
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def postgres_server(postgres_database):
    url, environment, directory, slots = postgres_database

    def query(sql, params):
        with psycopg.connect(url) as reader:
            return reader.execute(sql.replace("{}", "%s"), params).fetchone()[0]

    with running_server(environment, directory / "server.log") as base:
        yield Server(base + ENDPOINT, slots, query)


# Tests --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sqlite_one_winner_for_an_individual_slot(sqlite_server):
    check_individual_slot(sqlite_server)


@pytest.mark.django_db
def test_sqlite_a_group_session_fills_exactly(sqlite_server):
    check_group_session(sqlite_server)


@pytest.mark.postgres
def test_postgres_one_winner_for_an_individual_slot(postgres_server):
    check_individual_slot(postgres_server)


@pytest.mark.postgres
def test_postgres_a_group_session_fills_exactly(postgres_server):
    check_group_session(postgres_server)


@pytest.mark.postgres
def test_postgres_refuses_overlapping_bookings_on_its_own(postgres_database):
    _url, environment, _directory, _slots = postgres_database
    outcome = run_db_command(environment, "guard")
    guard = "booking_no_overlap_per_counsellor"
    assert outcome == {
        "overlapping": guard,
        "inside_the_break": guard,
        "right_after_the_break": True,
        "overlapping_but_cancelled": True,
        "overlapping_group_seat": True,
    }
