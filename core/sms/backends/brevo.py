"""Brevo's transactional SMS (https://developers.brevo.com): POST /v3/transactionalSMS/sms
with the account's key in the `api-key` header.

It answers 201 with {"reference", "messageId", "smsCount", "usedCredits",
"remainingCredits"}, and 400 {"code", "message"} for a refused request (a bad number,
a sender not allowed, no credit) or 401 for a wrong key: those are permanent. The
recipient is written without the "+". "transactional" messages go out at any hour and
carry no STOP code (Brevo would turn them into marketing messages), so our quiet hours
are ours to keep.

Its transactional SMS webhook posts JSON events: `message_id` (an integer; `messageId`
in some accounts), `msg_status` (read from `event` when missing), `to`, `description`,
`error_code`, and `reply` (the text of an answer) when `msg_status` is "replied"
(`read_report`). Only the id, the status, the number and the answer are read.
"""

from django.conf import settings

from .. import Delivery, PermanentError, Report, SmsResult, gsm7, message_id_of
from .base import BaseSmsBackend, post_json

# `msg_status` of its webhook: the final ones, the rest ("sent", "accepted") is news on
# the way. A soft bounce comes once the operator gave up (a phone off for longer than
# the message lives); "skip" and "blacklisted" were never sent.
DELIVERIES = {
    "delivered": Delivery.DELIVERED,
    "soft_bounce": Delivery.UNDELIVERED,
    "hard_bounce": Delivery.UNDELIVERED,
    "rejected": Delivery.UNDELIVERED,
    "blacklisted": Delivery.UNDELIVERED,
    "skip": Delivery.UNDELIVERED,
}


def read_report(fields):
    """One webhook event, or None when it is not one: a delivery state, an answer
    ("replied", with its text) or a number that unsubscribed (as if it sent STOP)."""
    status = str(fields.get("msg_status") or fields.get("event") or "").strip().lower()
    if not status:
        return None
    message_id = message_id_of(fields.get("message_id", fields.get("messageId")))
    number = str(fields.get("to") or "")
    if status == "replied":
        return Report(
            message_id=message_id, reply_from=number, reply=str(fields.get("reply") or "")
        )
    if status in ("unsubscribed", "unsubscribe"):
        return Report(message_id=message_id, reply_from=number, stopped=True)
    return Report(message_id=message_id, delivery=DELIVERIES.get(status))


class SmsBackend(BaseSmsBackend):
    read_report = staticmethod(read_report)

    def send(self, message):
        answer = post_json(
            settings.SMS_BREVO_URL,
            {
                "sender": message.sender,
                "recipient": message.to.lstrip("+"),
                "content": message.text,
                "type": "transactional",
            },
            {"api-key": settings.SMS_BREVO_API_KEY},
        )
        if "messageId" not in answer:
            raise PermanentError(f"Brevo accepted nothing: {answer.get('message', answer)}")
        return SmsResult(
            message_id=str(answer["messageId"]),
            segments=int(answer.get("smsCount") or gsm7.segments(message.text)),
        )
