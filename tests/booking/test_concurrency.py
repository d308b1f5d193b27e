"""Forty people book the same slot at the same instant: exactly one gets it, or N of them
for a session of N seats; everyone else is told at once, nobody gets an error page.
And forty requests that book, move and cancel seats at once, the same bookings from
several tabs: every session's seat counter still equals its live bookings, within its
capacity.

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
import logging
import random
import re
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

import psycopg
import pytest
from django.db import connection
from django.utils import translation

from booking.services import SlotTaken
from tests.support import ROOT

from .concurrency_processes import own_postgres_database, subprocess_environment

logger = logging.getLogger(__name__)

SETTINGS = "tests.booking.concurrency_settings"
ENDPOINT = "/book/"
REQUESTS = 40
RACE_RUNS = 5
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
    base: str
    slots: dict
    query: object  # query(sql, params) -> first column of the first row
    environment: dict

    @property
    def url(self):
        return self.base + ENDPOINT

    def count(self, sql, *params):
        return self.query(sql, params)


def fire(url, slot):
    """POST REQUESTS bookings of `slot` at the same instant; [(status, body)]."""
    return burst([(url, request_body(slot, number)) for number in range(REQUESTS)])


def burst(requests):
    """POST every (url, payload) at the same instant; [(status, body)] in the same order."""
    barrier = threading.Barrier(len(requests), timeout=60)

    def post(url_and_payload):
        url, payload = url_and_payload
        request = urllib.request.Request(
            url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept-Language": "fr"},
            method="POST",
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                return response.status, json.loads(body) if body else None
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, body.decode(errors="replace")[:500]

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(post, requests))


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
        "SELECT seats_confirmed FROM booking_seatpool JOIN booking_eventdate d "
        "ON d.id = date_id JOIN booking_groupsession s ON s.id = d.group_session_id "
        "WHERE s.counsellor_id = {}",
        server.slots["counsellor_id"],
    )
    rows = server.count(
        "SELECT count(*) FROM booking_booking WHERE group_session_id IS NOT NULL "
        "AND status = 'confirmed'"
    )
    assert booked == rows == seats


def check_one_newcomer(server):
    """A new address booking one slot from REQUESTS tabs at once: the person is created
    once (INSERT ... ON CONFLICT DO NOTHING, no savepoint), one tab books, the others are
    told the time was taken."""
    slot = server.slots["newcomer"]
    results = burst(
        [
            (server.url, {**request_body(slot, number), "email": "nouvelle@example.org"})
            for number in range(REQUESTS)
        ]
    )
    assert_exactly(results, winners=1)
    people = server.count(
        "SELECT count(*) FROM booking_youngperson WHERE email = {}", "nouvelle@example.org"
    )
    booked = server.count(
        "SELECT count(*) FROM booking_booking JOIN booking_youngperson "
        "ON booking_youngperson.id = young_person_id WHERE email = {}",
        "nouvelle@example.org",
    )
    assert people == booked == 1


def check_front_desk_and_online(server):
    """Half the requests from the front desk (source "staff", limits lifted), half from
    young people online, for one slot at the same instant: one booking, whoever wins."""
    slot = server.slots["front_desk"]
    staff = {"source": "staff", "override_limits": True, "consent": False}

    def individual_bookings():
        return server.count(
            "SELECT count(*) FROM booking_booking WHERE counsellor_id = {} "
            "AND group_session_id IS NULL AND status = 'confirmed'",
            server.slots["counsellor_id"],
        )

    before = individual_bookings()
    results = burst(
        [
            (server.url, {**request_body(slot, number), **(staff if number % 2 else {})})
            for number in range(REQUESTS)
        ]
    )
    assert_exactly(results, winners=1)
    assert individual_bookings() == before + 1


def check_one_person_many_slots(server):
    """One person booking twelve different times at once: exactly as many as one person
    may hold (3) are booked, however the requests interleave; the others are refused."""
    slots = server.slots["one_person"]
    results = burst(
        [
            (server.url, {**request_body(slot, number), "email": "limite@example.org"})
            for number, slot in enumerate(slots)
        ]
    )
    statuses = Counter(status for status, _body in results)
    assert statuses == {201: 3, 422: len(slots) - 3}, results
    assert {body["code"] for status, body in results if status == 422} == {"too_many_bookings"}
    booked = server.count(
        "SELECT count(*) FROM booking_booking JOIN booking_youngperson "
        "ON booking_youngperson.id = young_person_id WHERE email = {} AND status = 'confirmed'",
        "limite@example.org",
    )
    assert booked == 3


def race_requests(server, race, run):
    """One run's REQUESTS: a1 moved to C from 8 tabs, to B from 4 and cancelled from 4;
    a2 moved to C from 6 tabs and cancelled from 2; b1 moved to the full A from 6;
    10 newcomers book A, B and C. Shuffled, then released together."""
    sessions, bookings = race["sessions"], race["bookings"]

    def move(label, target):
        payload = {"reference": bookings[label], "session": sessions[target]["session"]}
        return server.base + "/move/", payload

    def cancel(label):
        return server.base + "/cancel/", {"reference": bookings[label]}

    requests = [move("a1", "C")] * 8 + [move("a1", "B")] * 4 + [cancel("a1")] * 4
    requests += [move("a2", "C")] * 6 + [cancel("a2")] * 2 + [move("b1", "A")] * 6
    newcomers = ["A"] * 4 + ["B"] * 3 + ["C"] * 3
    requests += [
        (server.url, request_body(sessions[name], run * 100 + number))
        for number, name in enumerate(newcomers)
    ]
    assert len(requests) == REQUESTS
    random.shuffle(requests)
    return requests


def check_races(server):
    """RACE_RUNS runs; after each, every session's counter equals its live bookings and
    stays within capacity, and every request got an answer (no 5xx)."""
    broken = []
    races = run_db_command(server.environment, "race", "--runs", str(RACE_RUNS))
    for run, race in enumerate(races):
        statuses = Counter(status for status, _body in burst(race_requests(server, race, run)))
        seats = {}
        for name, session in race["sessions"].items():
            seats[name] = (
                server.count(
                    "SELECT coalesce(sum(seats_confirmed), 0) FROM booking_seatpool "
                    "JOIN booking_eventdate d ON d.id = date_id WHERE d.group_session_id = {}",
                    session["session"],
                ),
                server.count(
                    "SELECT count(*) FROM booking_booking WHERE group_session_id = {} "
                    "AND status = 'confirmed'",
                    session["session"],
                ),
            )
        sound = set(statuses) <= {200, 201, 409} and all(
            counter == live <= race["seats"] for counter, live in seats.values()
        )
        if not sound:
            broken.append((run, dict(statuses), seats))
    logger.info("%s runs of %s book/move/cancel requests: %s broke", RACE_RUNS, REQUESTS, broken)
    assert broken == [], (
        f"{len(broken)} of {RACE_RUNS} runs broke: (run, statuses, "
        "{session: (counter, live bookings)})"
    )


def check_sms_reports(server):
    """REQUESTS reports on one SMS at once, each run: all "never reached" (the first
    run), or a mix of "delivered" and "never reached". One final state is kept, and
    the e-mail in its place is recorded once, only when that state is "never reached"."""
    sent = run_db_command(server.environment, "sms", "--runs", str(RACE_RUNS))
    url = server.base + "/sms/concurrency/accuses/"
    kept = []
    for run, sms in enumerate(sent):
        statuses = ["hard_bounce"] * REQUESTS
        if run:
            statuses = random.sample(["hard_bounce", "delivered"] * (REQUESTS // 2), REQUESTS)
        results = burst(
            [(url, {"message_id": sms["message_id"], "msg_status": status}) for status in statuses]
        )
        assert {status for status, _body in results} == {204}, results
        delivery = server.count(
            "SELECT delivery FROM booking_notification WHERE provider_message_id = {}",
            sms["message_id"],
        )
        emails = server.count(
            "SELECT count(*) FROM booking_notification WHERE booking_id = {} AND channel = {}",
            sms["booking"],
            "email",
        )
        kept.append(delivery)
        assert (delivery, emails) in {("undelivered", 1), ("delivered", 0)}, (run, delivery)
    logger.info("%s runs of %s reports at once kept: %s", RACE_RUNS, REQUESTS, kept)


# Server processes ---------------------------------------------------------------------


def server_environment(database_url, var_dir):
    return subprocess_environment(SETTINGS, database_url, var_dir)


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


@contextmanager
def running_server(environment, log_path):
    """The server on the port it picked; yields its base URL and stops it afterwards."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.booking.concurrency_server"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not (port := re.search(r"^port (\d+)$", log_path.read_text(), re.MULTILINE)):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port[1]}"
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
        yield Server(base, slots, query, environment)


@pytest.fixture(scope="module")
def postgres_database(postgres_url, tmp_path_factory):
    """A database of its own on the test server, migrated by a separate process."""
    with own_postgres_database(postgres_url, "passerelle_concurrency") as url:
        directory = tmp_path_factory.mktemp("concurrency-postgres")
        environment = server_environment(url, directory)
        slots = run_db_command(environment, "prepare", "--migrate")
        yield url, environment, directory, slots


@pytest.fixture(scope="module")
def postgres_server(postgres_database):
    url, environment, directory, slots = postgres_database

    def query(sql, params):
        with psycopg.connect(url) as reader:
            return reader.execute(sql.replace("{}", "%s"), params).fetchone()[0]

    with running_server(environment, directory / "server.log") as base:
        yield Server(base, slots, query, environment)


# Tests --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sqlite_an_sms_reported_many_times_at_once_is_told_by_email_once(sqlite_server):
    check_sms_reports(sqlite_server)


@pytest.mark.postgres
def test_postgres_an_sms_reported_many_times_at_once_is_told_by_email_once(postgres_server):
    check_sms_reports(postgres_server)


@pytest.mark.django_db
def test_sqlite_one_winner_for_an_individual_slot(sqlite_server):
    check_individual_slot(sqlite_server)


@pytest.mark.django_db
def test_sqlite_staff_and_a_young_person_taking_one_slot_at_once_make_one_booking(
    sqlite_server,
):
    check_front_desk_and_online(sqlite_server)


@pytest.mark.django_db
def test_sqlite_a_group_session_fills_exactly(sqlite_server):
    check_group_session(sqlite_server)


@pytest.mark.django_db
def test_sqlite_one_new_person_booking_from_many_tabs_is_created_once(sqlite_server):
    check_one_newcomer(sqlite_server)


@pytest.mark.django_db
def test_sqlite_seats_stay_counted_when_the_same_bookings_move_and_cancel_at_once(
    sqlite_server,
):
    check_races(sqlite_server)


@pytest.mark.postgres
def test_postgres_one_winner_for_an_individual_slot(postgres_server):
    check_individual_slot(postgres_server)


@pytest.mark.postgres
def test_postgres_staff_and_a_young_person_taking_one_slot_at_once_make_one_booking(
    postgres_server,
):
    check_front_desk_and_online(postgres_server)


@pytest.mark.postgres
def test_postgres_a_group_session_fills_exactly(postgres_server):
    check_group_session(postgres_server)


@pytest.mark.postgres
def test_postgres_one_new_person_booking_from_many_tabs_is_created_once(postgres_server):
    check_one_newcomer(postgres_server)


@pytest.mark.postgres
def test_postgres_seats_stay_counted_when_the_same_bookings_move_and_cancel_at_once(
    postgres_server,
):
    check_races(postgres_server)


@pytest.mark.postgres
@pytest.mark.django_db
def test_sqlite_one_person_holds_no_more_than_the_limit_however_fast(sqlite_server):
    check_one_person_many_slots(sqlite_server)


@pytest.mark.postgres
def test_postgres_one_person_holds_no_more_than_the_limit_however_fast(postgres_server):
    check_one_person_many_slots(postgres_server)


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
