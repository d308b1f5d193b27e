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
"""

from django.conf import settings

from .. import PermanentError, SmsResult, gsm7
from .base import BaseSmsBackend, post_json


class SmsBackend(BaseSmsBackend):
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
