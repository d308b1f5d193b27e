"""Forty requests at once on one event date's seats, from real server processes (the
threaded server of tests/booking/test_concurrency.py), on SQLite and PostgreSQL:
newcomers register (alone or with a friend), confirmed people cancel from several tabs,
a waiting person leaves the list from several tabs, the holder of an offer takes it
from several tabs, another answers an offer already past its deadline while the sweep
runs. After each run the pool's CHECK held, its counters equal the entries, every
newcomer has exactly one entry, the offer was taken once, and the queue is not stalled
(no free seats while the head of the list fits).

And the same on a group session's waiting list, whose seats its bookings take on the
same counter: bookings cancelled from several tabs, newcomers booking a seat or joining
the list, a waiting person leaving it, offers taken or past their deadline, the sweep:
the counter equals the live bookings and the offers, within the capacity."""

import logging
import random
from collections import Counter

import pytest

from .test_concurrency import (  # noqa: F401  (the servers are fixtures)
    REQUESTS,
    burst,
    postgres_database,
    postgres_server,
    run_db_command,
    sqlite_server,
)

logger = logging.getLogger(__name__)

RUNS = 5


def registration_requests(server, race, run):
    entries = race["entries"]

    def change(action, label):
        return server.base + f"/registration/{action}/", entries[label]

    requests = [change("cancel", "c2")] * 3 + [change("cancel", "c3")] * 3
    requests += [change("cancel", "w2")] * 4
    requests += [change("accept", "w0")] * 4 + [change("accept", "w1")] * 4
    requests += [(server.base + "/expire/", {})] * 4
    newcomers = REQUESTS - len(requests)
    requests += [
        (
            server.base + "/register/",
            {
                "event": race["event"],
                "key": race["key"],
                "first_name": f"n{number}",
                "email": f"n{number}-{run}@example.org",
                "party_size": 1 + number % 2,
            },
        )
        for number in range(newcomers)
    ]
    random.shuffle(requests)
    return requests, newcomers


def check_registration_races(server):
    broken, figures = [], []
    races = run_db_command(server.environment, "registrations", "--runs", str(RUNS))
    for run, race in enumerate(races):
        requests, newcomers = registration_requests(server, race, run)
        results = burst(requests)
        statuses = Counter(status for status, _body in results)
        pool = race["pool"]

        def count(sql, pool=pool):
            return server.count(sql, pool)

        confirmed = count("SELECT seats_confirmed FROM booking_seatpool WHERE id = {}")
        offered = count("SELECT seats_offered FROM booking_seatpool WHERE id = {}")
        live_confirmed = count(
            "SELECT coalesce(sum(party_size), 0) FROM booking_registration "
            "WHERE pool_id = {} AND status = 'confirmed'"
        )
        live_offered = count(
            "SELECT coalesce(sum(party_size), 0) FROM booking_registration "
            "WHERE pool_id = {} AND status = 'offered'"
        )
        entries = count("SELECT count(*) FROM booking_registration WHERE pool_id = {}")
        head = count(
            "SELECT coalesce(min(party_size), 0) FROM booking_registration WHERE id = "
            "(SELECT id FROM booking_registration WHERE pool_id = {} AND status = 'waiting' "
            "ORDER BY created_at, id LIMIT 1)"
        )
        w0 = [
            status
            for (url, payload), (status, _body) in zip(requests, results, strict=True)
            if url.endswith("/accept/") and payload == race["entries"]["w0"]
        ]
        free = race["seats"] - confirmed - offered
        stalled = head and offered == 0 and free >= head
        sound = (
            not [status for status in statuses if status >= 500]
            and confirmed == live_confirmed
            and offered == live_offered
            and confirmed + offered <= race["seats"]
            and entries == 10 + newcomers
            and sorted(w0) == [200, 409, 409, 409]
            and not stalled
        )
        figures.append((run, dict(statuses), confirmed, offered, entries))
        if not sound:
            broken.append(
                (
                    run,
                    dict(statuses),
                    (confirmed, live_confirmed),
                    (offered, live_offered),
                    entries,
                    w0,
                    free,
                    head,
                )
            )
    logger.warning(
        "%s runs of %s register/cancel/accept/expire requests on %s: "
        "(run, statuses, confirmed, offered, entries) %s; broke: %s",
        RUNS,
        REQUESTS,
        server.base,
        figures,
        broken,
    )
    assert broken == [], broken


def session_list_requests(server, race, run):
    entries, bookings = race["entries"], race["bookings"]

    def change(action, label):
        return server.base + f"/registration/{action}/", entries[label]

    requests = [(server.base + "/cancel/", {"reference": bookings["s2"]})] * 3
    requests += [(server.base + "/cancel/", {"reference": bookings["s3"]})] * 3
    requests += [change("cancel", "w2")] * 4
    requests += [change("accept", "w0")] * 4 + [change("accept", "w1")] * 4
    requests += [(server.base + "/expire/", {})] * 4
    newcomers = REQUESTS - len(requests)
    for number in range(newcomers):
        person = {"first_name": f"n{number}", "email": f"n{number}-liste-{run}@example.org"}
        if number % 2:
            requests.append((server.base + "/join/", {"session": race["session"], **person}))
        else:
            requests.append((server.base + "/book/", {**race["slot"], **person, "consent": True}))
    random.shuffle(requests)
    return requests, newcomers


def check_session_list_races(server):
    broken, figures = [], []
    races = run_db_command(server.environment, "session_lists", "--runs", str(RUNS))
    for run, race in enumerate(races):
        requests, newcomers = session_list_requests(server, race, run)
        results = burst(requests)
        statuses = Counter(status for status, _body in results)
        pool, session = race["pool"], race["session"]
        confirmed = server.count("SELECT seats_confirmed FROM booking_seatpool WHERE id = {}", pool)
        offered = server.count("SELECT seats_offered FROM booking_seatpool WHERE id = {}", pool)
        live_bookings = server.count(
            "SELECT count(*) FROM booking_booking WHERE group_session_id = {} "
            "AND status = 'confirmed'",
            session,
        )
        live_offered = server.count(
            "SELECT count(*) FROM booking_registration WHERE pool_id = {} AND status = 'offered'",
            pool,
        )
        waiting = server.count(
            "SELECT count(*) FROM booking_registration WHERE pool_id = {} AND status = 'waiting'",
            pool,
        )
        w0 = [
            status
            for (url, payload), (status, _body) in zip(requests, results, strict=True)
            if url.endswith("/accept/") and payload == race["entries"]["w0"]
        ]
        free = race["seats"] - confirmed - offered
        sound = (
            not [status for status in statuses if status >= 500]
            and confirmed == live_bookings
            and offered == live_offered
            and confirmed + offered <= race["seats"]
            and sorted(w0) == [200, 409, 409, 409]
            and not (waiting and free > 0)
        )
        figures.append((run, dict(statuses), confirmed, offered, waiting))
        if not sound:
            broken.append(
                (run, dict(statuses), (confirmed, live_bookings), (offered, live_offered), w0)
            )
    logger.warning(
        "%s runs of %s book/cancel/join/leave/accept/expire requests on a session at %s: "
        "(run, statuses, booked, offered, waiting) %s; broke: %s",
        RUNS,
        REQUESTS,
        server.base,
        figures,
        broken,
    )
    assert broken == [], broken


@pytest.mark.django_db
def test_sqlite_a_sessions_seats_and_waiting_list_stay_counted_under_forty_requests(
    sqlite_server,  # noqa: F811  (the fixture imported above)
):
    check_session_list_races(sqlite_server)


@pytest.mark.postgres
def test_postgres_a_sessions_seats_and_waiting_list_stay_counted_under_forty_requests(
    postgres_server,  # noqa: F811  (the fixture imported above)
):
    check_session_list_races(postgres_server)


@pytest.mark.django_db
def test_sqlite_registrations_stay_counted_under_forty_requests_at_once(
    sqlite_server,  # noqa: F811  (the fixture imported above, started before the test)
):
    check_registration_races(sqlite_server)


@pytest.mark.postgres
def test_postgres_registrations_stay_counted_under_forty_requests_at_once(
    postgres_server,  # noqa: F811  (the fixture imported above)
):
    check_registration_races(postgres_server)
