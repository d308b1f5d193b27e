"""Brevo's transactional SMS (https://developers.brevo.com): POST /v3/transactionalSMS/sms
with the account's key in the `api-key` header.

It answers 201 with {"reference", "messageId", "smsCount", "usedCredits",
"remainingCredits"}, and 400 {"code", "message"} for a refused request (a bad number,
a sender not allowed, no credit) or 401 for a wrong key: those are permanent. The
recipient is written without the "+". "transactional" messages go out at any hour and
carry no STOP code (Brevo would turn them into marketing messages), so our quiet hours
are ours to keep.
"""

from django.conf import settings

from .. import PermanentError, SmsResult, gsm7
from .base import BaseSmsBackend, post_json


class SmsBackend(BaseSmsBackend):
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
