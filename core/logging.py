"""Secrets and personal data kept out of the server's logs.

A log line can carry what the site promises to keep private: Django logs the path of a
refused request ("Bad Request: /rendez-vous/gerer/<token>/annuler/", a CSRF refusal on
a feed URL), and so the manage link's token or a counsellor's feed token, either of
which is enough to act as that person; a failed e-mail's traceback names its
recipient. `RedactSecrets`, attached to every handler in settings.LOGGING, rewrites the
message, its arguments and the exception text before any handler writes them.

The URL shapes are the site's (booking.web.urls): a token follows `/gerer/`,
`/confirmation/` or `/invitation/` (a short signed id, which the last pattern misses),
a text message's short code `/r/` (it opens the booking as well), the providers'
webhook secret `/sms/`, and a feed's ends in `.ics` after `/agenda/`; a value signed
as booking.services.tokens signs them (payload:timestamp:signature) is redacted
anywhere, and so are partner sites' API keys (`psl_…`, and whatever follows "Bearer").
"""

import logging
import re

SECRET = "[secret]"
REDACTIONS = [
    (re.compile(r"(/(?:gerer|confirmation|invitation|r|sms)/)[^/\s?#\"'<>]+"), rf"\1{SECRET}"),
    (re.compile(r"(/agenda/)[^/\s?#\"'<>]+?(\.ics)"), rf"\1{SECRET}\2"),
    (re.compile(r"[\w-]{10,}:[\w-]{6,}:[\w-]{20,}"), SECRET),
    # Partner sites' API keys (booking.models.ApiKey's prefix), and any bearer token.
    (re.compile(r"psl_[\w-]+"), SECRET),
    (re.compile(r"(Bearer\s+)[^\s'\",]+", re.IGNORECASE), rf"\1{SECRET}"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    # French numbers (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78) and E.164.
    (re.compile(r"(?<![\w+])(?:(?:\+|00)33[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\w)"), "[phone]"),
    (re.compile(r"(?<![\w+])\+\d{8,15}(?!\w)"), "[phone]"),
    # Any country's, written with its code and spaced: +262 692 12 34 56, +32 470 12 34 56.
    (re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]\d{1,8}){2,6}(?!\w)"), "[phone]"),
]


def redact(text):
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Let every record through, with its text redacted.

    The message is formatted here (arguments may be a path or an address) and the
    traceback too, since the formatter would otherwise render it afresh from
    `exc_info`; `exc_info` is dropped so no later handler can.
    """

    def filter(self, record):
        record.msg, record.args = redact(record.getMessage()), ()
        if record.exc_info:
            record.exc_text = record.exc_text or logging.Formatter().formatException(
                record.exc_info
            )
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
