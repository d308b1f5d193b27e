"""Counsellors are told of the bookings, moves and cancellations concerning them, by an
e-mail per change or a morning digest, through the young person's outbox, with no more
personal data than their calendar feed."""

import re
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from booking import services
from booking.models import Booking, Counsellor, Notification
from booking.notifications import counsellors, delivery, outbox
from core.dates import local_when
from structures.models import Structure

from ..concurrency_processes import (
    own_postgres_database,
    run_command_twice_at_once,
    subprocess_environment,
)
from ..factories import (
    HOME_ADDRESS,
    BookingFactory,
    CounsellorFactory,
    FormatFactory,
    PlaceFactory,
    paris,
)
from ..flow_support import free_slots

INSPECT = "wagtailsnippets_booking_booking:inspect"


def told(counsellor, how=Counsellor.Told.EACH_CHANGE):
    counsellor.user.email = f"{counsellor.slug}@ml.example.org"
    counsellor.user.save()
    counsellor.told = how
    counsellor.save()
    return counsellor


def mails_to(counsellor):
    return [message for message in mail.outbox if message.to == [counsellor.user.email]]


def admin_link(booking, host="http://localhost"):
    return host + reverse(INSPECT, args=[booking.pk])


@pytest.fixture
def slot(samira):
    return free_slots(samira)[0]


def booked_online(slot, **details):
    contact = {
        "email": "lea.martin@example.org",
        "phone": "0781234567",
        "preferred_channel": "email",
    }
    return services.book(
        first_name="léa",
        consent=True,
        message="J'ai besoin d'aide pour mon CV",
        format=slot.format,
        start=slot.start,
        place=slot.place,
        counsellor=slot.counsellor,
        **contact | details,
    )


def test_a_booking_made_online_tells_its_counsellor_as_much_as_the_feed(
    samira, slot, django_capture_on_commit_callbacks
):
    told(samira)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = booked_online(slot)
        Booking.objects.filter(pk=booking.pk).update(**HOME_ADDRESS)
    assert mails_to(samira) == [], "nothing before the commit"
    row = Notification.objects.get(counsellor=samira)
    assert (row.kind, row.status) == ("booked", "pending"), "recorded with the booking"
    for callback in callbacks:
        callback()

    [message] = mails_to(samira)
    with timezone.override(Structure.default().zone):
        when = timezone.localtime(slot.start)
    assert message.subject.startswith("Nouveau rendez-vous : ")
    assert message.from_email == Structure.default().from_email
    html = message.alternatives[0][0]
    for shown in (message.body, html):
        assert "Bonjour Samira," in shown
        assert f"{slot.format.name} – L." in shown, "the first name's initial, as the feed"
        assert f"{when.day} " in shown and f"{when.hour} h" in shown
        assert slot.place.name in shown
        assert admin_link(booking) in shown
        for private in (
            "Léa",
            "léa",
            "lea.martin",
            "78 12",
            "0781234567",
            "+33781234567",
            "CV",
            "rue des Écoles",
            "Lens",
        ):
            assert private not in shown, private
    assert Notification.objects.get(counsellor=samira).status == "sent"


def test_a_counsellor_is_not_told_of_their_own_change_but_of_a_managers(
    samira, slot, manager, django_capture_on_commit_callbacks
):
    told(samira)
    mine = BookingFactory(counsellor=samira, format=slot.format, place=slot.place, start=slot.start)
    theirs = BookingFactory(
        counsellor=samira,
        format=slot.format,
        place=slot.place,
        start=slot.start + timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(mine, by="staff", message="Je serai en formation.", staff_user=samira.user)
        services.cancel(theirs, by="staff", message="Samira est malade.", staff_user=manager)

    [message] = mails_to(samira)
    assert message.subject.startswith("Rendez-vous annulé : ")
    assert "Message de la structure : Samira est malade." in message.body
    assert "formation" not in message.body
    assert not Notification.objects.filter(counsellor=samira, booking=mine).exists()


def test_the_young_persons_own_cancellation_is_told(
    samira, slot, django_capture_on_commit_callbacks
):
    told(samira)
    booking = BookingFactory(
        counsellor=samira, format=slot.format, place=slot.place, start=slot.start
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking, by="person")
    [message] = mails_to(samira)
    assert message.subject.startswith("Rendez-vous annulé : ")


def test_moving_to_another_counsellor_tells_both(
    samira, julien, slot, manager, django_capture_on_commit_callbacks
):
    told(samira)
    told(julien)
    booking = BookingFactory(
        counsellor=samira, format=slot.format, place=slot.place, start=slot.start
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by="staff", counsellor=julien, start=slot.start, staff_user=manager)

    [left] = mails_to(samira)
    [reached] = mails_to(julien)
    assert left.subject.startswith("Rendez-vous retiré de votre agenda : ")
    assert admin_link(booking) not in left.body, "she can no longer open it"
    assert reached.subject.startswith("Rendez-vous qui vous est confié : ")
    assert admin_link(booking) in reached.body
    rows = Notification.objects.filter(counsellor__isnull=False)
    assert sorted(rows.values_list("kind", "sequence", "status")) == [
        ("assigned", 1, "sent"),
        ("withdrawn", 1, "sent"),
    ]


def test_a_move_in_time_tells_the_counsellor_once(
    samira, slot, manager, django_capture_on_commit_callbacks
):
    told(samira)
    later = free_slots(samira)[1]
    booking = BookingFactory(
        counsellor=samira, format=slot.format, place=slot.place, start=slot.start
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by="staff", start=later.start, staff_user=manager)
    [message] = mails_to(samira)
    assert message.subject.startswith("Rendez-vous déplacé : ")
    assert delivery.deliver(Notification.objects.get(counsellor=samira).pk) is None, "sent once"
    assert len(mails_to(samira)) == 1


def test_no_email_for_those_who_chose_the_feed_only_or_have_no_address(
    samira, julien, slot, django_capture_on_commit_callbacks
):
    told(samira, Counsellor.Told.NONE)
    julien.user.email = ""
    julien.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        booked_online(slot)
        booked_online(
            free_slots(julien)[0], email="sam@example.org", phone="", preferred_channel=""
        )
    assert not Notification.objects.filter(counsellor__isnull=False).exists()
    assert mails_to(samira) == []


def test_a_failing_mail_server_is_retried_and_the_change_kept(
    samira, slot, settings, django_capture_on_commit_callbacks
):
    told(samira)
    settings.EMAIL_BACKEND = "tests.booking.flow_support.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        booked_online(slot)
    row = Notification.objects.get(counsellor=samira)
    assert (row.status, row.attempts) == ("failed", 1)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.deliver(row.pk, now=row.next_attempt_at) == "sent"
    assert len(mails_to(samira)) == 1


# The digest --------------------------------------------------------------------------


def at_paris(day, hour):
    return paris(f"{day} {hour}")


@pytest.fixture
def queued(monkeypatch):
    """The digests queued, to deliver by hand at the test's own time."""
    queue = []
    monkeypatch.setattr(counsellors, "enqueue", queue.append)
    return queue


def deliver_all(queue, now):
    return [delivery.deliver(notification_id, now=now) for notification_id in queue]


@pytest.fixture
def today():
    """A Wednesday, so that the day before and the day after are working days."""
    day = timezone.localdate() + timedelta(days=7)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def held_yesterday(booking, change, today, zone_hour="18:00"):
    """A change of `booking` kept for the digest, recorded the day before `today`."""
    row = Notification.objects.get(booking=booking, kind=change, status="held")
    Notification.objects.filter(pk=row.pk).update(
        created_at=paris(f"{today - timedelta(days=1)} {zone_hour}")
    )
    return row


def test_the_digest_lists_yesterdays_changes_and_todays_appointments(
    samira, individuel, structure, today, manager, queued, django_capture_on_commit_callbacks
):
    told(samira, Counsellor.Told.DAILY_DIGEST)
    first = BookingFactory(
        counsellor=samira, format=individuel, place=structure, start=at_paris(today, "09:00")
    )
    BookingFactory(
        counsellor=samira,
        format=individuel,
        place=structure,
        start=at_paris(today, "10:30"),
        young_person__first_name="Yanis",
        young_person__email="yanis@example.org",
    )
    gone = BookingFactory(
        counsellor=samira,
        format=individuel,
        place=structure,
        start=at_paris(today + timedelta(days=1), "11:00"),
        young_person__first_name="Inès",
        young_person__email="ines@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(gone, by="staff", message="Fermeture exceptionnelle.", staff_user=manager)
    assert mails_to(samira) == [], "kept for the digest"
    held_yesterday(gone, "cancelled", today)

    with django_capture_on_commit_callbacks(execute=True):
        assert counsellors.send_digests(now=at_paris(today, "07:29")) == 0
        assert counsellors.send_digests(now=at_paris(today, "07:31")) == 1
    assert deliver_all(queued, at_paris(today, "07:31")) == ["sent"]

    [message] = mails_to(samira)
    place = structure.name
    if structure.address:
        place = f"{structure.name}, {structure.address.replace(chr(10), ', ')}"
    day_words = f"{['lundi', 'mardi', 'mercredi'][today.weekday()]} {today.day}"
    assert message.subject.startswith(f"Vos rendez-vous du {day_words} ")
    expected = (
        "Bonjour Samira,\n"
        "\n"
        "Rendez-vous du jour\n"
        "\n"
        f"9 h – {individuel.name} – L.\n"
        f"{place}\n"
        f"Voir le rendez-vous : {admin_link(first)}\n"
        "\n"
        f"10 h 30 – {individuel.name} – Y.\n"
        f"{place}\n"
    )
    assert message.body.startswith(expected)
    tomorrow = today + timedelta(days=1)
    assert (
        "Changements d’hier\n"
        "\n"
        "Rendez-vous annulé\n"
        f"{['mardi', 'mercredi', 'jeudi'][tomorrow.weekday() - 1]} {tomorrow.day}"
    ) in message.body
    assert "Message de la structure : Fermeture exceptionnelle." in message.body
    for private in ("Léa", "Yanis", "Inès", "@example.org"):
        assert private not in message.body
        assert private not in message.alternatives[0][0]


def test_the_digest_goes_at_half_past_seven_in_la_reunion(
    other_structure, today, queued, django_capture_on_commit_callbacks
):
    fmt = FormatFactory(structure=other_structure, slug="sud-individuel")
    place = PlaceFactory(structure=other_structure, name="Antenne de Saint-Pierre")
    marie = told(
        CounsellorFactory(
            slug="marie", structures=[other_structure], formats=[fmt], places=[place]
        ),
        Counsellor.Told.DAILY_DIGEST,
    )
    reunion = other_structure.zone
    BookingFactory(
        counsellor=marie,
        format=fmt,
        place=place,
        start=datetime.combine(today, datetime.min.time(), reunion).replace(hour=8),
        young_person__structure=other_structure,
        young_person__first_name="Océane",
        young_person__email="oceane@example.org",
    )
    # 07:29 and 07:31 in La Réunion (UTC+4) are 03:29 and 03:31 UTC, when it is still
    # night in Paris.
    night = datetime.combine(today, datetime.min.time(), UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert counsellors.send_digests(now=night.replace(hour=3, minute=29)) == 0
        assert counsellors.send_digests(now=night.replace(hour=3, minute=31)) == 1
    assert deliver_all(queued, night.replace(hour=3, minute=31)) == ["sent"]

    [message] = mails_to(marie)
    assert message.from_email == other_structure.from_email
    assert f"8 h – {fmt.name} – O.\nAntenne de Saint-Pierre" in message.body
    assert "http://sud.localhost/admin/" in message.body


def test_two_digest_runs_at_once_send_one_digest(
    samira, individuel, structure, today, queued, django_capture_on_commit_callbacks
):
    told(samira, Counsellor.Told.DAILY_DIGEST)
    BookingFactory(
        counsellor=samira, format=individuel, place=structure, start=at_paris(today, "09:00")
    )
    now = at_paris(today, "07:45")
    with django_capture_on_commit_callbacks(execute=True):
        assert counsellors.send_digests(now=now) == 1
        assert counsellors.send_digests(now=now + timedelta(hours=3)) == 0
        # A second run that read the counsellors before the first wrote its row: the
        # unique row stops it.
        assert counsellors._record_digest(samira, Structure.default(), today, now) == 0
    assert Notification.objects.filter(kind="digest").count() == 1
    [row] = queued
    assert delivery.deliver(row, now=now) == "sent"
    assert delivery.deliver(row, now=now) is None
    assert len(mails_to(samira)) == 1


def test_an_empty_digest_is_not_sent(samira, today, queued, django_capture_on_commit_callbacks):
    told(samira, Counsellor.Told.DAILY_DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        assert counsellors.send_digests(now=at_paris(today, "08:00")) == 1
    assert deliver_all(queued, at_paris(today, "08:00")) == ["skipped"]
    assert Notification.objects.get(kind="digest").status == "skipped"
    assert mails_to(samira) == []


@pytest.mark.parametrize("count", [1, 6])
def test_the_digest_takes_as_many_queries_whatever_the_number_of_bookings(
    count, samira, individuel, structure, today, manager, django_assert_num_queries
):
    told(samira, Counsellor.Told.DAILY_DIGEST)
    for index in range(count):
        BookingFactory(
            counsellor=samira,
            format=individuel,
            place=structure,
            start=at_paris(today, "09:00") + timedelta(minutes=index),
            young_person__email=f"p{index}@example.org",
        )
        cancelled = BookingFactory(
            counsellor=samira,
            format=individuel,
            place=structure,
            start=at_paris(today, "11:00") + timedelta(days=1, minutes=index),
            young_person__email=f"q{index}@example.org",
        )
        services.cancel(cancelled, by="person")
        held_yesterday(cancelled, "cancelled", today)
    digest = Notification.objects.create(
        counsellor=samira, structure=Structure.default(), day=today, kind="digest"
    )
    # The claim, the row with its counsellor and structure, yesterday's changes, today's
    # appointments, "sent".
    with django_assert_num_queries(5):
        assert delivery.deliver(digest.pk, now=at_paris(today, "07:30")) == "sent"
    [message] = mails_to(samira)
    assert message.body.count("Voir le rendez-vous") == 2 * count


# Absences ------------------------------------------------------------------------------


def test_a_manager_cancelling_a_booking_during_an_absence_tells_the_counsellor(
    samira, slot, manager_client, django_capture_on_commit_callbacks
):
    """The front desk lists the bookings an absence clashes with (staff.clashes); the
    manager cancels one from there, and the counsellor hears of it by e-mail."""
    told(samira)
    booking = BookingFactory(
        counsellor=samira, format=slot.format, place=slot.place, start=slot.start
    )
    day = timezone.localtime(slot.start).date()
    absence = {"counsellor": samira.pk, "start": f"{day} 08:00", "end": f"{day} 18:00"}
    saved = manager_client.post(
        reverse("wagtailsnippets_booking_absence:add"), absence, follow=True
    )
    cancel_url = reverse("wagtailsnippets_booking_booking:cancel", args=[booking.pk])
    assert cancel_url in saved.content.decode(), "listed among the clashes"

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(cancel_url, {"message": "Samira est absente ce jour-là."})

    [message] = mails_to(samira)
    assert message.subject.startswith("Rendez-vous annulé : ")
    assert "Message de la structure : Samira est absente ce jour-là." in message.body


@pytest.mark.postgres
def test_two_digest_commands_at_once_on_postgresql_send_each_digest_once(postgres_url, tmp_path):
    """Two `send_counsellor_digests` processes started together, three times over, on
    PostgreSQL, for 20 counsellors: one digest each, sent once."""
    mails = tmp_path / "mails"
    mails.mkdir()
    with own_postgres_database(postgres_url, "passerelle_digests") as url:
        environment = subprocess_environment(
            "tests.booking.notifications.digests_settings",
            url,
            tmp_path,
            TEST_EMAIL_DIR=str(mails),
        )

        addresses = run_command_twice_at_once(
            environment, "tests.booking.notifications.digests_db", 20, "send_counsellor_digests"
        )
        with psycopg.connect(url) as database:
            rows = database.execute(
                "SELECT kind, status, attempts, count(*) FROM booking_notification "
                "WHERE counsellor_id IS NOT NULL GROUP BY kind, status, attempts"
            ).fetchall()

    written = "".join(path.read_text() for path in mails.iterdir())
    recipients = re.findall(r"^To: (.+)$", written, flags=re.MULTILINE)
    assert sorted(recipients) == sorted(addresses)
    assert rows == [("digest", "sent", 1, 20)]


def test_a_counsellor_cancelling_from_the_admin_is_not_told_of_it(
    samira, slot, client, django_capture_on_commit_callbacks
):
    """The admin's views say who made the change (staff_user), not only "staff"."""
    told(samira)
    booking = BookingFactory(
        counsellor=samira, format=slot.format, place=slot.place, start=slot.start
    )
    client.force_login(samira.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("wagtailsnippets_booking_booking:cancel", args=[booking.pk]),
            {"message": "Je serai en formation."},
        )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_STAFF
    assert mails_to(samira) == []
    assert len(mail.outbox) == 1, "the young person is told"


def test_changes_kept_for_the_digest_are_never_sent_alone(
    samira, slot, django_capture_on_commit_callbacks
):
    told(samira, Counsellor.Told.DAILY_DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        booked_online(slot)
    assert Notification.objects.get(counsellor=samira).status == "held"
    assert outbox.send_pending(now=slot.start) == 0
    assert mails_to(samira) == []


def test_the_counsellor_a_move_took_the_appointment_from_reads_the_time_they_had(
    samira, julien, slot, manager, django_capture_on_commit_callbacks
):
    """One move changes both the counsellor and the time: Samira is told of the time
    that leaves her agenda, Julien of the one that enters his."""
    told(samira)
    told(julien)
    later = free_slots(julien)[3]
    booking = BookingFactory(
        counsellor=samira, format=slot.format, place=slot.place, start=slot.start
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by="staff", counsellor=julien, start=later.start, staff_user=manager)

    [left] = mails_to(samira)
    [reached] = mails_to(julien)
    with timezone.override(Structure.default().zone):
        had, has = local_when(slot.start), local_when(later.start)
    assert had != has
    assert left.subject == f"Rendez-vous retiré de votre agenda : {had}"
    assert had in left.body and has not in left.body
    assert reached.subject == f"Rendez-vous qui vous est confié : {has}"


def test_the_digest_also_tells_the_time_a_move_took_away(
    samira,
    julien,
    individuel,
    structure,
    today,
    manager,
    queued,
    django_capture_on_commit_callbacks,
):
    told(samira, Counsellor.Told.DAILY_DIGEST)
    booking = BookingFactory(
        counsellor=samira, format=individuel, place=structure, start=at_paris(today, "15:00")
    )
    julien.formats.add(individuel)
    julien.places.add(structure)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(
            booking,
            by="staff",
            counsellor=julien,
            start=at_paris(today + timedelta(days=1), "11:00"),
            override_limits=True,
            staff_user=manager,
        )
    held_yesterday(booking, "withdrawn", today)
    with django_capture_on_commit_callbacks(execute=True):
        counsellors.send_digests(now=at_paris(today, "07:31"))
    assert deliver_all(queued, at_paris(today, "07:31")) == ["sent"]

    [digest] = mails_to(samira)
    booking.refresh_from_db()
    with timezone.override(Structure.default().zone):
        had = local_when(at_paris(today, "15:00"))
        has = local_when(booking.start)
    assert f"Rendez-vous retiré de votre agenda\n{had}" in digest.body
    assert has not in digest.body
