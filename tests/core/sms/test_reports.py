"""Each provider's delivery reports read into one shape: which message, whether it
reached the phone in the end, and the answers that came back."""

import pytest

from core import sms
from core.sms import Delivery, Report
from core.sms.backends import brevo, smsfactor
from tests.support import HOSTILE_VALUES


@pytest.mark.parametrize(
    ("status", "delivery"),
    [
        ("delivered", Delivery.DELIVERED),
        ("hard_bounce", Delivery.UNDELIVERED),
        ("soft_bounce", Delivery.UNDELIVERED),
        ("rejected", Delivery.UNDELIVERED),
        ("blacklisted", Delivery.UNDELIVERED),
        ("skip", Delivery.UNDELIVERED),
        ("sent", None),
        ("accepted", None),
    ],
)
def test_brevo_events_say_whether_the_sms_arrived(status, delivery):
    event = {"message_id": 1511882900176220, "msg_status": status, "to": "33781234567"}
    assert brevo.read_report(event) == Report(message_id="1511882900176220", delivery=delivery)


def test_brevo_ids_are_read_under_either_name():
    assert brevo.read_report({"messageId": 42, "msg_status": "delivered"}).message_id == "42"


def test_brevo_answers_and_unsubscriptions_are_answers_not_deliveries():
    replied = {"message_id": 7, "msg_status": "replied", "to": "33781234567", "reply": "STOP"}
    assert brevo.read_report(replied) == Report(
        message_id="7", reply_from="33781234567", reply="STOP"
    )
    gone = brevo.read_report({"msg_status": "unsubscribed", "to": "33781234567"})
    assert gone.stopped and gone.reply_from == "33781234567" and gone.delivery is None


@pytest.mark.parametrize(
    ("status", "delivery"),
    [
        ("3", Delivery.DELIVERED),
        *[(code, Delivery.UNDELIVERED) for code in ("0", "2", "4", "5", "6", "7", "9", "11", "12")],
        ("1", None),
        ("8", None),
    ],
)
def test_sms_factor_status_codes(status, delivery):
    assert smsfactor.read_report({"ticket": "14672468", "status": status}) == Report(
        message_id="14672468", delivery=delivery
    )


def test_sms_factor_ids_are_read_as_ticket_or_id():
    assert smsfactor.read_report({"id": "14672468", "status": "3"}).message_id == "14672468"
    assert smsfactor.read_report({"status": "3"}) is None
    assert smsfactor.read_report({"ticket": "14672468"}) is None


@pytest.mark.parametrize("value", [*HOSTILE_VALUES, [1], {"a": 1}, True, None, 1.5])
def test_no_hostile_value_becomes_a_message_id(value):
    for report in (
        brevo.read_report({"message_id": value, "msg_status": "delivered"}),
        smsfactor.read_report({"ticket": value, "status": "3"}),
    ):
        message_id = report.message_id if report else ""
        assert message_id == "" or (
            len(message_id) <= sms.MESSAGE_ID_LENGTH and "\x00" not in message_id
        )


def test_the_configured_backend_reads_the_reports(settings):
    fields = {"ticket": "1", "status": "3", "msg_status": "delivered", "message_id": 2}
    settings.SMS_BACKEND = "core.sms.backends.smsfactor.SmsBackend"
    assert sms.read_report(fields).message_id == "1"
    settings.SMS_BACKEND = "core.sms.backends.brevo.SmsBackend"
    assert sms.read_report(fields).message_id == "2"
    settings.SMS_BACKEND = "core.sms.backends.locmem.SmsBackend"
    assert sms.read_report(fields) is None
    settings.SMS_BACKEND = ""
    assert sms.read_report(fields) is None
