"""Each e-mail goes out once: claimed before the mail server is contacted, recorded as
sent right after, and a resend after a worker died carries the same Message-ID."""

import email
import json
import logging
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from booking.models import Notification
from booking.notifications import delivery
from tests.support import ROOT

from ..concurrency_processes import free_port, own_postgres_database, subprocess_environment
from ..flow_support import book, free_slots

logger = logging.getLogger(__name__)

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class WorkerKilled(BaseException):
    """What the worker's last instant looks like from inside: nothing after it runs."""


class KilledAfterAcceptance(EmailBackend):
    """The mail server accepted the message, then the worker died before going on."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


def pending_confirmation(samira):
    """A booking whose confirmation is recorded, its task not run yet."""
    booking = book(free_slots(samira)[0])
    return booking, Notification.objects.get(booking=booking, kind="booked")


def test_a_worker_killed_after_the_server_accepted_resends_the_same_message_once(samira, settings):
    booking, notification = pending_confirmation(samira)
    settings.EMAIL_BACKEND = "tests.booking.notifications.test_delivery.KilledAfterAcceptance"
    try:
        delivery.deliver(notification.pk)
    except WorkerKilled:
        pass
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENDING
    settings.EMAIL_BACKEND = LOCMEM

    call_command("send_pending_notifications")
    assert delivery.deliver(notification.pk) is None, "claimed: nobody else sends it"
    assert len(mail.outbox) == 1

    after_the_lease = timezone.now() + delivery.CLAIM_LEASE
    assert delivery.deliver(notification.pk, now=after_the_lease) == Notification.Status.SENT
    assert delivery.deliver(notification.pk, now=after_the_lease) is None, "sent: never again"

    first, resent = mail.outbox
    assert first.message()["Message-ID"] == resent.message()["Message-ID"]
    assert str(booking.uuid) in first.message()["Message-ID"]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)


def test_a_worker_killed_before_sending_sends_it_after_the_lease(samira, settings):
    _booking, notification = pending_confirmation(samira)
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + delivery.CLAIM_LEASE,
    )
    call_command("send_pending_notifications")
    assert mail.outbox == [], "the lease is not over"

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    call_command("send_pending_notifications")
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT


def test_a_last_attempt_whose_worker_died_is_shown_failed_not_sending(samira, settings):
    _booking, notification = pending_confirmation(samira)
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENDING,
        attempts=settings.BOOKING_NOTIFICATION_MAX_ATTEMPTS,
        next_attempt_at=timezone.now() + delivery.CLAIM_LEASE,
    )
    call_command("send_pending_notifications")
    assert Notification.objects.get(pk=notification.pk).status == Notification.Status.SENDING

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    call_command("send_pending_notifications")

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert "stopped while sending" in notification.last_error
    assert mail.outbox == [], "no attempt is left"


def test_each_notification_has_its_own_message_id(samira):
    _booking, one = pending_confirmation(samira)
    second = book(free_slots(samira)[1], email="tom@example.org")
    other = Notification.objects.get(booking=second)
    ids = {delivery.message_id(one), delivery.message_id(other)}
    assert len(ids) == 2
    assert delivery.deliver(one.pk) == Notification.Status.SENT
    assert mail.outbox[0].message()["Message-ID"] == delivery.message_id(one)


# A real worker, killed -----------------------------------------------------------------

WORKER_SETTINGS = "tests.booking.notifications.worker_settings"
BOOKINGS = 90
LOST = 10  # booked, but the process died before queueing their e-mail
KILLS = 4  # half at a random instant, half at the worst one
PORTS = range(8250, 8300)
WAIT = 60


class Sink:
    """A mail server that keeps (recipient, Message-ID) of every message it accepted.
    `kill_on_message(count, process)`: SIGKILL the worker when it has message `count`,
    before it hears the server's "250": the worst moment, sent but not known to be."""

    def __init__(self):
        self.received = []
        self.victim = None

    def kill_on_message(self, count, process):
        self.victim = (count, process)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.received.extend((to, message["Message-ID"]) for to in envelope.rcpt_tos)
        if self.victim and len(self.received) >= self.victim[0]:
            self.victim[1].send_signal(signal.SIGKILL)
            self.victim = None
        return "250 Message accepted for delivery"


@pytest.fixture
def sink():
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(PORTS))
    controller.start()
    yield handler, controller.port
    controller.stop()


def wait_for_messages(handler, count):
    deadline = time.monotonic() + WAIT
    while len(handler.received) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"Waited {WAIT} s for the worker to send message {count}")
        time.sleep(0.02)


@pytest.mark.postgres
def test_a_worker_killed_again_and_again_still_sends_every_email_once(postgres_url, sink, tmp_path):
    """90 bookings on PostgreSQL; 10 of them lost their queued task (the process died
    after commit). A db_worker is killed with SIGKILL 4 times, after a random number of
    messages: twice at a random instant, twice while the server accepts a message,
    and restarted; ten minutes later (the lease) the retry command runs, then the worker
    until the queue is empty. Every booking got its e-mail; a second copy only where the
    kill fell between the server's acceptance and the "sent" write (so at least 2, at
    most 4), with the same Message-ID."""
    handler, port = sink
    seed = random.randrange(10**6)
    chance = random.Random(seed)
    with own_postgres_database(postgres_url, "passerelle_delivery") as url:
        environment = subprocess_environment(
            WORKER_SETTINGS, url, tmp_path, DJANGO_EMAIL_PORT=str(port)
        )

        def run(*arguments, **options):
            return subprocess.run(
                [sys.executable, *arguments],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                timeout=300,
                **options,
            )

        prepared = run("-m", "tests.booking.notifications.worker_db", str(BOOKINGS), str(LOST))
        assert prepared.returncode == 0, prepared.stderr[-3000:]
        references = json.loads(prepared.stdout)
        worker = [
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.05",
        ]
        log = (tmp_path / "worker.log").open("w")
        for kill in range(KILLS):
            process = subprocess.Popen(
                [sys.executable, *worker], cwd=ROOT, env=environment, stdout=log, stderr=log
            )
            goal = len(handler.received) + chance.randint(1, 12)
            if kill % 2:
                handler.kill_on_message(goal, process)
            else:
                wait_for_messages(handler, goal)
                time.sleep(chance.uniform(0, 0.05))
                process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=WAIT) == -signal.SIGKILL

        with psycopg.connect(url, autocommit=True) as database:
            database.execute(  # Ten minutes later: the killed workers' leases are over.
                "UPDATE booking_notification SET next_attempt_at = next_attempt_at - %s",
                [delivery.CLAIM_LEASE],
            )
        retried = run("manage.py", "send_pending_notifications")
        assert retried.returncode == 0, retried.stderr[-3000:]
        finished = run(*worker, "--batch")
        assert finished.returncode == 0, finished.stderr[-3000:]
        with psycopg.connect(url) as database:
            statuses = dict(
                database.execute(
                    "SELECT status, count(*) FROM booking_notification GROUP BY status"
                ).fetchall()
            )

    by_address = defaultdict(list)
    for to, message_id in handler.received:
        by_address[to].append(message_id)
    duplicates = len(handler.received) - len(by_address)
    logger.info(
        "%s bookings, %s kills: %s messages received, %s duplicates (seed %s)",
        BOOKINGS,
        KILLS,
        len(handler.received),
        duplicates,
        seed,
    )
    assert statuses == {"sent": BOOKINGS}, f"seed {seed}"
    assert set(by_address) == set(references), f"every booking got its e-mail (seed {seed})"
    assert KILLS // 2 <= duplicates <= KILLS, f"one resend per kill at most (seed {seed})"
    resent = {address: ids for address, ids in by_address.items() if len(ids) > 1}
    assert all(len(set(ids)) == 1 for ids in resent.values()), f"same message (seed {seed})"
    assert all(references[address] in ids[0] for address, ids in by_address.items())
    assert len({ids[0] for ids in by_address.values()}) == BOOKINGS
