"""Text messages go through the same outbox as e-mails: recorded with the booking, sent
once, retried when the provider fails for a while, given up when it refuses for good,
never at night, never to someone who stopped them, and on their own reminder schedule."""

from datetime import UTC, datetime, time, timedelta

import psycopg
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from booking import services
from booking.models import Booking, Notification, ShortLink
from booking.notifications import delivery, outbox
from booking.services.sms import stop_text_messages
from core import sms
from structures.models import Structure
from tests.booking.factories import BookingFactory
from tests.core.sms.fake_providers import BREVO_KEY, BrevoHandler, FakeProvider

from ..concurrency_processes import (
    own_postgres_database,
    run_command_twice_at_once,
    subprocess_environment,
)
from ..flow_support import book, free_slots

PHONE = "+33781234567"
FAILING = "tests.booking.notifications.test_sms.FailingBackend"
REFUSING = "tests.booking.notifications.test_sms.RefusingBackend"
SMS_SETTINGS = "tests.booking.notifications.sms_settings"


class FailingBackend:
    def send(self, message):
        raise sms.TemporaryError("HTTP 503: Service unavailable")


class RefusingBackend:
    def send(self, message):
        raise sms.PermanentError("HTTP 400: Invalid number")


@pytest.fixture
def slot(samira):
    return free_slots(samira)[0]


@pytest.fixture
def quiet_hours(settings):
    settings.SMS_QUIET_HOURS = (time(20), time(8))


def sms_rows(**filters):
    return Notification.objects.filter(channel="sms", **filters)


def booking_by_phone_in(counsellor, hours, *, changed_days_before=7, phone=PHONE):
    start = timezone.now() + timedelta(hours=hours)
    booking = BookingFactory(
        counsellor=counsellor,
        format=counsellor.formats.get(capacity=1),
        start=start,
        young_person__phone=phone,
    )
    Booking.objects.filter(pk=booking.pk).update(
        updated_at=start - timedelta(days=changed_days_before)
    )
    return booking


def test_booked_moved_and_cancelled_each_send_one_sms(
    samira, sms_outbox, django_capture_on_commit_callbacks
):
    first, second = free_slots(samira)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(first, email="", phone="07 81 23 45 67")
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by=services.Actor.PERSON, start=second.start)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(booking, by=services.Actor.STAFF, message="Absence")

    assert [m.to for m in sms_outbox] == [PHONE] * 3
    assert mail.outbox == []
    rows = sms_rows().order_by("pk")
    assert [(r.kind, r.status, r.segments) for r in rows] == [
        ("booked", "sent", 1),
        ("moved", "sent", 1),
        ("cancelled", "sent", 1),
    ]
    assert all(r.provider_message_id.startswith("local-") for r in rows)
    assert "RDV confirmé" in sms_outbox[0].text
    assert "RDV déplacé" in sms_outbox[1].text
    assert "annulé" in sms_outbox[2].text
    assert all(sms.gsm7.fits_one_segment(m.text) for m in sms_outbox)
    [link] = ShortLink.objects.filter(booking=booking)
    assert all(m.text.endswith(f"/r/{link.code}") for m in sms_outbox)


def test_people_with_an_email_get_no_sms(slot, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(slot)
    assert sms_outbox == [] and not sms_rows().exists()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("chosen", "sms_enabled", "told_by"),
    [("sms", True, "sms"), ("email", True, "email"), ("sms", False, "email")],
    ids=["chose-sms", "chose-email", "chose-sms-but-none-sent"],
)
def test_someone_who_gave_both_is_told_where_they_chose(
    slot, sms_outbox, chosen, sms_enabled, told_by, django_capture_on_commit_callbacks
):
    """One message, on the channel the person chose; by e-mail when the structure sends
    no SMS."""
    structure = slot.format.structure
    structure.sms_enabled = sms_enabled
    structure.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.book(
            first_name="Léa",
            email="lea@example.org",
            phone="07 81 23 45 67",
            preferred_channel=chosen,
            consent=True,
            format=slot.format,
            start=slot.start,
            place=slot.place,
            counsellor=slot.counsellor,
        )

    assert [m.to for m in sms_outbox] == ([PHONE] if told_by == "sms" else [])
    assert [m.to for m in mail.outbox] == ([["lea@example.org"]] if told_by == "email" else [])
    assert list(Notification.objects.filter(counsellor=None).values_list("channel", flat=True)) == [
        told_by
    ]


def test_the_sms_comes_from_the_structures_sender(
    slot, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.SMS_DEFAULT_SENDER = "Passerelle"
    with django_capture_on_commit_callbacks(execute=True):
        book(slot, email="", phone=PHONE)
    lens = Structure.default()
    lens.sms_sender = "MLLens"
    lens.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(Booking.objects.get(), by=services.Actor.PERSON)
    assert [m.sender for m in sms_outbox] == ["Passerelle", "MLLens"]


@pytest.mark.parametrize("switch", ["structure", "install"])
def test_no_sms_where_the_structure_or_the_install_sends_none(
    slot, sms_outbox, settings, switch, django_capture_on_commit_callbacks
):
    if switch == "structure":
        lens = Structure.default()
        lens.sms_enabled = False
        lens.save()
    else:
        settings.SMS_BACKEND = ""
    with django_capture_on_commit_callbacks(execute=True):
        book(slot, email="", phone=PHONE)
    assert sms_outbox == [] and not Notification.objects.exists()


def test_someone_who_stopped_sms_gets_none(samira, sms_outbox, django_capture_on_commit_callbacks):
    first, second = free_slots(samira)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(first, email="", phone=PHONE)
    stop_text_messages(booking.young_person)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(booking, by=services.Actor.PERSON, start=second.start)
    assert len(sms_outbox) == 1
    assert not sms_rows(kind="moved").exists()


def test_an_sms_recorded_before_the_stop_is_skipped(slot, sms_outbox, monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda pk: None)
    booking = book(slot, email="", phone=PHONE)
    stop_text_messages(booking.young_person)
    [row] = sms_rows()
    assert delivery.deliver(row.pk) == Notification.Status.SKIPPED
    assert sms_outbox == []


def test_a_provider_failing_for_a_while_is_retried_later(
    slot, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(slot, email="", phone=PHONE)
    row = sms_rows().get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "503" in row.last_error
    assert row.next_attempt_at > timezone.now()

    settings.SMS_BACKEND = "core.sms.backends.locmem.SmsBackend"
    later = row.next_attempt_at + timedelta(seconds=1)
    assert delivery.deliver(row.pk, now=later) == Notification.Status.SENT
    assert len(sms_outbox) == 1 and sms_outbox[0].to == booking.young_person.phone


def test_a_refusal_for_good_is_not_retried(slot, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        book(slot, email="", phone=PHONE)
    row = sms_rows().get()
    assert row.status == "rejected" and "Invalid number" in row.last_error
    assert outbox.send_pending(now=timezone.now() + timedelta(days=1)) == 0


def test_an_sms_due_at_night_waits_for_eight_in_the_structures_zone(
    slot, sms_outbox, quiet_hours, monkeypatch
):
    """Recorded at 22:30 Paris: due at 08:00 Paris; a retry command at 23:00 does not send
    it, the one at 08:00 does."""
    queued = []
    monkeypatch.setattr(outbox, "enqueue", queued.append)
    booking = book(slot, email="", phone=PHONE)
    night = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)  # 22:30 in Paris
    Notification.objects.all().delete()
    row = outbox.notify(booking, "booked", channel="sms", now=night)
    assert row.next_attempt_at == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)

    assert delivery.deliver(row.pk, now=night + timedelta(minutes=30)) is None
    assert outbox.send_pending(now=night + timedelta(minutes=30)) == 0
    morning = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    assert delivery.deliver(row.pk, now=morning) == Notification.Status.SENT
    assert len(sms_outbox) == 1


def test_a_retry_falling_at_night_is_put_off_without_counting_an_attempt(
    slot, sms_outbox, quiet_hours, monkeypatch
):
    monkeypatch.setattr(outbox, "enqueue", lambda pk: None)
    booking = book(slot, email="", phone=PHONE)
    row = sms_rows().get()
    night = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # midnight in Paris
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=night)

    assert delivery.deliver(row.pk, now=night) == Notification.Status.PENDING
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (0, datetime(2026, 12, 2, 7, 0, tzinfo=UTC))
    assert sms_outbox == [] and booking.young_person.phone == PHONE


def test_sms_reminders_go_out_24_and_2_hours_before_by_default(
    samira, sms_outbox, django_capture_on_commit_callbacks
):
    tomorrow = booking_by_phone_in(samira, 20)
    soon = booking_by_phone_in(samira, 1.5, phone="+33781234568")
    later = booking_by_phone_in(samira, 40, phone="+33781234569")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")

    kinds = dict(sms_rows().values_list("booking", "kind"))
    assert kinds == {tomorrow.pk: "reminder-24h", soon.pk: "reminder-2h"}
    assert later.pk not in kinds
    assert {m.to for m in sms_outbox} == {"+33781234567", "+33781234568"}
    assert all("Tu viens ? Confirme ou annule" in m.text for m in sms_outbox)


def test_email_and_sms_reminders_follow_their_own_schedules(samira, sms_outbox):
    lens = Structure.default()
    lens.reminder_hours = "48"
    lens.sms_reminder_hours = "6"
    lens.save()
    by_phone = booking_by_phone_in(samira, 30)
    by_email = BookingFactory(counsellor=samira, start=timezone.now() + timedelta(hours=30))
    Booking.objects.filter(pk=by_email.pk).update(updated_at=timezone.now() - timedelta(days=7))

    call_command("send_reminders")
    assert list(Notification.objects.values_list("booking", "channel", "kind")) == [
        (by_email.pk, "email", "reminder-48h")
    ]
    assert sms_outbox == []

    six_hours_before = by_phone.start - timedelta(hours=5)
    outbox.send_reminders(now=six_hours_before)
    assert sms_rows(booking=by_phone, kind="reminder-6h").exists()


def test_the_sms_reminder_link_opens_the_one_tap_answers(
    samira, sms_outbox, client, django_capture_on_commit_callbacks
):
    booking = booking_by_phone_in(samira, 20)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    [message] = sms_outbox
    path = message.text.rsplit("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")
    assert response.status_code == 302
    assert "?rappel=1" in response["Location"]
    assert ShortLink.objects.get(booking=booking).reminder


def test_two_schedulers_one_after_the_other_record_one_sms_reminder(
    samira, sms_outbox, monkeypatch, django_capture_on_commit_callbacks
):
    booking_by_phone_in(samira, 20)
    queued = []
    monkeypatch.setattr(outbox, "enqueue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.send_reminders() == 1
        assert outbox.send_reminders() == 0
    assert delivery.deliver(queued[0]) == Notification.Status.SENT
    assert delivery.deliver(queued[0]) is None
    assert len(sms_outbox) == 1


def test_the_unique_row_now_counts_the_channel(samira):
    booking = booking_by_phone_in(samira, 20)
    assert outbox.notify(booking, "reminder-24h", channel="sms") is not None
    assert outbox.notify(booking, "reminder-24h", channel="sms") is None
    assert outbox.notify(booking, "reminder-24h", channel="email") is None  # no address


@pytest.mark.postgres
def test_two_schedulers_running_at_once_send_each_sms_reminder_once(postgres_url, tmp_path):
    """Two `send_reminders` processes started together, three times over, on PostgreSQL,
    for 40 people due their 24-hour SMS reminder: the provider (a local fake Brevo,
    slowed down so the runs overlap) receives one SMS per person, and the outbox has
    one sent row each."""
    with FakeProvider(BrevoHandler) as brevo:
        brevo.delay = 0.01
        with own_postgres_database(postgres_url, "passerelle_sms") as url:
            environment = subprocess_environment(
                SMS_SETTINGS,
                url,
                tmp_path,
                TEST_SMS_URL=f"{brevo.url}/v3/transactionalSMS/sms",
                TEST_SMS_KEY=BREVO_KEY,
            )

            phones = run_command_twice_at_once(
                environment, "tests.booking.notifications.sms_reminders_db", 40, "send_reminders"
            )
            with psycopg.connect(url) as database:
                rows = database.execute(
                    "SELECT kind, channel, status, count(*) FROM booking_notification "
                    "GROUP BY kind, channel, status"
                ).fetchall()

    recipients = [request["json"]["recipient"] for request in brevo.requests]
    assert sorted(recipients) == sorted(phone.lstrip("+") for phone in phones)
    assert rows == [("reminder-24h", "sms", "sent", 40)]


def test_a_landline_is_never_kept_so_never_sent_an_sms(slot, sms_outbox):
    with pytest.raises(services.InvalidContact):
        book(slot, email="", phone="03 21 12 34 56")
    assert sms_outbox == [] and not Notification.objects.exists()
