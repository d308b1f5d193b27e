"""The provider tells us, at a secret address, what became of each SMS: staff see whether
it reached the phone, and news that never reached it goes by e-mail, once, to someone
who also gave an address. Replays, late news, unknown ids and junk change nothing."""

import json
import logging

import pytest
from django.core import mail

from booking import services
from booking.models import Notification, YoungPerson
from tests.core.sms.fake_providers import BREVO_KEY, BrevoHandler, FakeProvider
from tests.support import HOSTILE_VALUES

from ..factories import BookingFactory
from ..flow_support import free_slots

SECRET = "a-long-random-webhook-secret"
URL = f"/rendez-vous/sms/{SECRET}/accuses/"
BREVO = "core.sms.backends.brevo.SmsBackend"
SMSFACTOR = "core.sms.backends.smsfactor.SmsBackend"
PHONE = "+33781234567"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.SMS_WEBHOOK_SECRET = SECRET


@pytest.fixture
def brevo(settings):
    settings.SMS_BACKEND = BREVO


@pytest.fixture
def smsfactor(settings):
    settings.SMS_BACKEND = SMSFACTOR


def sent_sms(message_id="1511882900176220", *, email="", phone=PHONE, kind="booked"):
    """A booking whose SMS the provider took, for a person reached by SMS (with an
    e-mail address too when `email`)."""
    booking = BookingFactory(
        young_person__phone=phone, young_person__email=email, young_person__preferred_channel="sms"
    )
    return Notification.objects.create(
        booking=booking,
        kind=kind,
        channel="sms",
        status="sent",
        segments=1,
        provider_message_id=message_id,
    )


def brevo_event(client, status, message_id=1511882900176220, **fields):
    body = {"message_id": message_id, "msg_status": status, "to": "33781234567", **fields}
    return client.post(URL, json.dumps(body), content_type="application/json")


def delivery(notification):
    notification.refresh_from_db()
    return notification.delivery


def test_brevo_reports_the_sms_delivered(client, brevo):
    notification = sent_sms()
    response = brevo_event(client, "delivered", description="delivered")
    assert response.status_code == 204
    notification.refresh_from_db()
    assert notification.delivery == "delivered"
    assert notification.delivery_reported_at is not None
    assert notification.status == "sent"
    assert mail.outbox == []


def test_an_undelivered_sms_goes_by_email_once_to_who_gave_an_address(
    client, brevo, django_capture_on_commit_callbacks
):
    notification = sent_sms(email="lea@example.org")
    for _replay in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert brevo_event(client, "hard_bounce", error_code=4).status_code == 204
    assert delivery(notification) == "undelivered"
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "est confirmé" in message.subject
    fallback = Notification.objects.get(channel="email")
    assert (fallback.kind, fallback.sequence, fallback.status) == ("booked", 0, "sent")


def test_an_undelivered_sms_to_someone_without_an_address_is_only_recorded(
    client, brevo, django_capture_on_commit_callbacks
):
    notification = sent_sms()
    with django_capture_on_commit_callbacks(execute=True):
        brevo_event(client, "rejected")
    assert delivery(notification) == "undelivered"
    assert mail.outbox == []
    assert not Notification.objects.filter(channel="email").exists()


def test_the_first_final_state_stays(client, brevo, django_capture_on_commit_callbacks):
    delivered = sent_sms("1")
    undelivered = sent_sms("2", email="lea@example.org", phone="+33781234568")
    brevo_event(client, "delivered", message_id=1)
    with django_capture_on_commit_callbacks(execute=True):
        brevo_event(client, "soft_bounce", message_id=2)
    for late in ("sent", "accepted", "hard_bounce", "delivered"):
        with django_capture_on_commit_callbacks(execute=True):
            brevo_event(client, late, message_id=1)
            brevo_event(client, late, message_id=2)
    assert delivery(delivered) == "delivered"
    assert delivery(undelivered) == "undelivered"
    assert len(mail.outbox) == 1


def test_news_on_the_way_records_nothing(client, brevo):
    notification = sent_sms()
    brevo_event(client, "sent")
    brevo_event(client, "accepted")
    notification.refresh_from_db()
    assert (notification.delivery, notification.delivery_reported_at) == ("", None)


def test_an_answer_stop_in_brevos_events_stops_the_number(client, brevo):
    notification = sent_sms()
    person = notification.booking.young_person
    brevo_event(client, "replied", reply="Je serai là")
    person.refresh_from_db()
    assert person.sms_stopped_at is None
    assert brevo_event(client, "replied", reply="Stop").status_code == 204
    person.refresh_from_db()
    assert person.sms_stopped_at is not None
    assert delivery(notification) == ""


def test_sms_factor_reports_as_a_form_or_a_query(
    client, smsfactor, django_capture_on_commit_callbacks
):
    delivered = sent_sms("14672468")
    expired = sent_sms("14672469", email="lea@example.org", phone="+33781234568")
    assert client.post(URL, {"ticket": "14672468", "status": "3"}).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(URL, {"id": "14672469", "status": "12"}).status_code == 204
    assert delivery(delivered) == "delivered"
    assert delivery(expired) == "undelivered"
    assert len(mail.outbox) == 1


def test_unknown_ids_and_other_structures_sms_are_acknowledged_and_ignored(
    client, smsfactor, other_structure
):
    notification = sent_sms("14672468")
    for fields in ({"ticket": "99", "status": "3"}, {"ticket": "local-1", "status": "2"}, {}):
        assert client.post(URL, fields).status_code == 204
    assert delivery(notification) == ""


@pytest.mark.parametrize("provider", [BREVO, SMSFACTOR])
def test_hostile_values_are_acknowledged_and_change_nothing(
    client, settings, provider, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = provider
    notification = sent_sms("14672468", email="lea@example.org")
    person = notification.booking.young_person
    # "0" is SMS Factor's "not sent": a real report, not junk.
    for value in [value for value in HOSTILE_VALUES if value != "0"]:
        for fields in (
            {"message_id": value, "msg_status": "hard_bounce", "to": value, "reply": value},
            {"message_id": "14672468", "msg_status": value, "to": value},
            {"msg_status": "replied", "to": value, "reply": "STOP"},
            {"ticket": value, "status": "2"},
            {"ticket": "14672468", "status": value},
        ):
            with django_capture_on_commit_callbacks(execute=True):
                as_json = client.post(URL, json.dumps(fields), content_type="application/json")
                as_form = client.post(URL, fields)
                as_query = client.get(URL, fields)
            assert {as_json.status_code, as_form.status_code, as_query.status_code} == {204}
    for junk in ("{", "[1, 2]", '"STOP"', "null"):
        assert client.post(URL, junk, content_type="application/json").status_code == 204
    assert delivery(notification) == ""
    person.refresh_from_db()
    assert person.sms_stopped_at is None
    assert mail.outbox == []


def test_a_wrong_or_missing_secret_is_not_found(client, settings, brevo):
    notification = sent_sms()
    body = json.dumps({"message_id": 1511882900176220, "msg_status": "delivered"})
    wrong = client.post("/rendez-vous/sms/guess/accuses/", body, content_type="application/json")
    assert wrong.status_code == 404
    settings.SMS_WEBHOOK_SECRET = ""
    assert client.post(URL, body, content_type="application/json").status_code == 404
    assert delivery(notification) == ""


def test_nothing_personal_is_logged(client, brevo, caplog):
    sent_sms(email="lea@example.org")
    with caplog.at_level(logging.DEBUG):
        brevo_event(client, "hard_bounce", description="Numéro 33781234567 injoignable")
        brevo_event(client, "replied", reply="STOP")
    assert "781234567" not in caplog.text
    assert "lea@example.org" not in caplog.text


def test_a_phone_booking_sent_through_brevo_then_bounced_is_told_by_email(
    client, settings, samira, django_capture_on_commit_callbacks
):
    """From the booking to the e-mail: the id Brevo answered is the one its report names."""
    with FakeProvider(BrevoHandler) as server:
        settings.SMS_BACKEND = BREVO
        settings.SMS_BREVO_API_KEY = BREVO_KEY
        settings.SMS_BREVO_URL = f"{server.url}/v3/transactionalSMS/sms"
        slot = free_slots(samira)[0]
        with django_capture_on_commit_callbacks(execute=True):
            booking = services.book(
                first_name="Léa",
                email="lea@example.org",
                phone="07 81 23 45 67",
                preferred_channel=YoungPerson.Channel.SMS,
                consent=True,
                format=slot.format,
                start=slot.start,
                place=slot.place,
                counsellor=slot.counsellor,
            )
    [sms_row] = booking.notifications.filter(channel="sms", counsellor=None)
    assert mail.outbox == [] and sms_row.status == "sent"

    with django_capture_on_commit_callbacks(execute=True):
        brevo_event(client, "hard_bounce", message_id=int(sms_row.provider_message_id))

    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
