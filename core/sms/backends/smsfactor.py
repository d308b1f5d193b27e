"""SMS Factor (https://dev.smsfactor.com), the French public contract's provider since
2025: POST /send with a JSON {"sms": {"message": {...}, "recipients": {"gsm": [...]}}}
and the account's token as a Bearer.

It answers 200 even when it refuses: {"status": 1, "message": "OK", "ticket", "cost",
"sent", "invalid", ...} when the message is taken (`cost` is in credits, not messages,
so the segments are ours, counted), a negative `status` with `message`
and `details` otherwise (a wrong token, no credit, a refused sender). So a negative
status and an invalid number are permanent; HTTP errors follow `post_json`. The
recipient goes without the "+"; "alert" is its push type for messages that are not
marketing (no STOP mention, any hour).

Its delivery reports (DLR) reach the address set in its dashboard, as a form POST or a
GET query, with the `ticket` its send answered (our `message_id`; some accounts say
`id`) and a numeric `status` (`read_report`). Those field names are SMS Factor's as
documented, not checked against the live service: correct them in `read_report` if a
report is found ignored.
"""

from django.conf import settings

from .. import Delivery, PermanentError, Report, SmsResult, gsm7, message_id_of
from .base import BaseSmsBackend, post_json

# Its sending status codes: 1 "sent" is news on the way, 3 "delivered"; every other one
# is final: 0 not sent, 2 not delivered, 4 not allowed, 5 invalid destination, 6
# invalid sender, 7 route not available, 9 rejected, 11 network error, 12 expired.
DELIVERED = "3"
UNDELIVERED = {"0", "2", "4", "5", "6", "7", "9", "11", "12"}


def read_report(fields):
    """One delivery report, or None when it is not one."""
    status = str(fields.get("status", "")).strip()
    message_id = message_id_of(fields.get("ticket") or fields.get("id"))
    if not message_id or not status:
        return None
    if status == DELIVERED:
        return Report(message_id=message_id, delivery=Delivery.DELIVERED)
    if status in UNDELIVERED:
        return Report(message_id=message_id, delivery=Delivery.UNDELIVERED)
    return Report(message_id=message_id)


class SmsBackend(BaseSmsBackend):
    read_report = staticmethod(read_report)

    def send(self, message):
        recipient = {"value": message.to.lstrip("+")}
        if message.reference:
            recipient["gsmsmsid"] = message.reference
        answer = post_json(
            settings.SMS_FACTOR_URL,
            {
                "sms": {
                    "message": {
                        "text": message.text,
                        "pushtype": "alert",
                        "sender": message.sender,
                    },
                    "recipients": {"gsm": [recipient]},
                }
            },
            {"Authorization": f"Bearer {settings.SMS_FACTOR_TOKEN}"},
        )
        if answer.get("status") != 1:
            detail = answer.get("details") or answer.get("message") or answer
            raise PermanentError(f"SMS Factor status {answer.get('status')}: {detail}")
        if answer.get("invalid") or not answer.get("sent", 1):
            raise PermanentError("SMS Factor refused the number.")
        return SmsResult(
            message_id=str(answer.get("ticket", "")),
            segments=gsm7.segments(message.text),
        )
