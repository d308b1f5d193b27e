"""The log filter: tokens, e-mail addresses and phone numbers never reach a log line,
whether in the message, its arguments or a traceback."""

import logging

import pytest

from core.logging import redact

from .support import server_log

TOKEN = "eyJiIjoiM2Y0YzJhIiwicyI6MH0:1vQ5Xz:k3Jd9sLq0pW2xYz8aBcDeFgHiJkLmNoPqRsTuV"
FEED_TOKEN = "Zk9q-3_xY8wLmN2pQrStUvWxYz0123456789abcdEFG"
# As booking.models.ApiKey.create makes them.
API_KEY = "psl_q3Jd9sLq0pW2xYz8aBcDeFgHiJkLmNoPqRsTuV-_w1x"


@pytest.mark.parametrize(
    "line, secret",
    [
        (f"Bad Request: /rendez-vous/gerer/{TOKEN}/annuler/", TOKEN),
        (f"Not Found: /rendez-vous/confirmation/{TOKEN}/", TOKEN),
        ("Not Found: /rendez-vous/invitation/MTI:1vQ5Xz:k3Jd9sLq0pW2xYz8aBcD/", "k3Jd9sLq0pW2"),
        ('"GET /r/Ab3dE6gH9 HTTP/1.1" 302', "Ab3dE6gH9"),
        ("Method Not Allowed: /rendez-vous/sms/webhook-secret-value/reponses/", "webhook-secret"),
        (f"Forbidden (CSRF cookie not set.): /rendez-vous/agenda/{FEED_TOKEN}.ics", FEED_TOKEN),
        (f'"GET /rendez-vous/gerer/{TOKEN}/rendez-vous.ics HTTP/1.1" 200', TOKEN),
        (f"link https://passerelle.example/x?t={TOKEN}", TOKEN),
        ("{'leo.martin+rdv@example.org': (550, b'No such user')}", "leo.martin+rdv@example.org"),
        ("Appeler le 06 12 34 56 78", "06 12 34 56 78"),
        ("Appeler le 06.12.34.56.78", "06.12.34.56.78"),
        ("Appeler le 0712345678", "0712345678"),
        ("Appeler le +33 6 12 34 56 78", "6 12 34 56 78"),
        ("Appeler le +33612345678", "612345678"),
        ("Appeler le +262 692 12 34 56", "692 12 34 56"),
        ("Appeler le +32 470 12 34 56", "470 12 34 56"),
        ("Appeler le +49 1512 3456789", "1512 3456789"),
        (f"Unauthorized: key {API_KEY}", API_KEY[4:]),
        (f"{{'HTTP_AUTHORIZATION': 'Bearer {API_KEY}'}}", API_KEY[4:]),
        ("Authorization: bearer some-other-token", "some-other-token"),
    ],
)
def test_secrets_and_contacts_are_redacted(line, secret):
    assert secret not in redact(line)


@pytest.mark.parametrize(
    "line",
    [
        "Notification 12 (booked) for booking 3f4c2a1e-8b7d-4c6e-9f0a-1b2c3d4e5f60 failed",
        "[01/Dec/2026 11:34:05] GET /rendez-vous/?etape=creneau 200",
        "Reading 2026-12-01 10:00:00+01:00 from 127.0.0.1:8000",
    ],
)
def test_ordinary_lines_are_kept(line):
    assert redact(line) == line


def test_arguments_and_tracebacks_are_redacted_too():
    try:
        raise ValueError("refused: lea@example.org")
    except ValueError:
        with server_log() as log:
            logging.getLogger("booking").warning(
                "Sending to %s failed", "lea@example.org", exc_info=True
            )

    written = log.getvalue()
    assert "Sending to [e-mail] failed" in written
    assert "ValueError: refused: [e-mail]" in written
    assert "lea@example.org" not in written
