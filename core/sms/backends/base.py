"""What every backend shares: a `send(message)` returning an SmsResult, and, for the HTTP
providers, one JSON POST whose failures are sorted into temporary and permanent."""

import json
import urllib.error
import urllib.request
import uuid

from django.conf import settings

from .. import PermanentError, SmsResult, TemporaryError, gsm7


class BaseSmsBackend:
    def send(self, message):
        raise NotImplementedError


class LocalBackend(BaseSmsBackend):
    """Sends nothing anywhere: the message id is made up, the segments counted."""

    def send(self, message):
        self.deliver(message)
        return SmsResult(
            message_id=f"local-{uuid.uuid4().hex}", segments=gsm7.segments(message.text)
        )

    def deliver(self, message):
        raise NotImplementedError


def post_json(url, payload, headers):
    """POST `payload` as JSON; the decoded JSON answer of a 2xx. A timeout, a broken
    connection, a 429 or a 5xx raise TemporaryError; any other 4xx PermanentError.
    Errors carry the status and the provider's message, never the request (the number
    and the text are personal data)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        detail = _error_detail(error.read())
        kind = TemporaryError if error.code == 429 or error.code >= 500 else PermanentError
        raise kind(f"HTTP {error.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise TemporaryError(f"{type(error).__name__}: {getattr(error, 'reason', error)}") from None
    try:
        return json.loads(body or b"{}")
    except ValueError:
        raise TemporaryError("The provider's answer is not JSON.") from None


def _error_detail(body):
    try:
        answer = json.loads(body)
    except ValueError:
        return body[:200].decode(errors="replace")
    if isinstance(answer, dict):
        return str(answer.get("message") or answer.get("code") or answer)[:200]
    return str(answer)[:200]
