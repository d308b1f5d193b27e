"""Local fakes of the SMS providers' HTTP APIs, speaking their documented protocol:
each records the requests it received and answers as the real service does, or fails
as told (`fail_with`: an HTTP status, or "slow" to answer after the client gave up)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BREVO_KEY = "xkeysib-test"
SMSFACTOR_TOKEN = "eyJ0eXAiOiJKV1Qi.test"
REFUSED_NUMBER = "33600000000"


class FakeProvider(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.requests = []
        self.fail_with = None
        self.delay = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    path_expected = ""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "json": body,
            }
        )
        time.sleep(self.server.delay)
        if self.server.fail_with == "slow":
            time.sleep(1)
        elif self.server.fail_with:
            return self.answer(self.server.fail_with, {"message": "Internal error"})
        if self.path != self.path_expected:
            return self.answer(404, {"code": "not_found", "message": "Not found"})
        return self.reply(body)

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class BrevoHandler(Handler):
    """POST /v3/transactionalSMS/sms, `api-key` header: 201 with the message id and the
    count of SMS, 401 for a wrong key, 400 {"code", "message"} for a refused request."""

    path_expected = "/v3/transactionalSMS/sms"

    def reply(self, body):
        if self.headers.get("api-key") != BREVO_KEY:
            return self.answer(401, {"code": "unauthorized", "message": "Key not found"})
        missing = {"sender", "recipient", "content"} - set(body)
        if missing or not body["recipient"].isdigit():
            return self.answer(400, {"code": "missing_parameter", "message": "Bad request"})
        if body["recipient"] == REFUSED_NUMBER:
            return self.answer(400, {"code": "invalid_parameter", "message": "Invalid number"})
        return self.answer(
            201,
            {
                "reference": "ab1cde2fgh3i4jklmno",
                "messageId": 1511882900176220,
                "smsCount": 1 if len(body["content"]) <= 160 else 2,
                "usedCredits": 0.7,
                "remainingCredits": 82.85,
            },
        )


class SmsFactorHandler(Handler):
    """POST /send, Bearer token: 200 whether it sends or not, the outcome in `status`
    (1: taken, negative: refused) and in the counts `sent` and `invalid`."""

    path_expected = "/send"

    def reply(self, body):
        if self.headers.get("Authorization") != f"Bearer {SMSFACTOR_TOKEN}":
            return self.answer(
                200, {"status": -1, "message": "Erreur d'authentification", "details": ""}
            )
        message, gsm = body["sms"]["message"], body["sms"]["recipients"]["gsm"]
        invalid = sum(1 for recipient in gsm if recipient["value"] == REFUSED_NUMBER)
        return self.answer(
            200,
            {
                "status": 1,
                "message": "OK",
                "ticket": "14672468",
                "cost": len(gsm) if message["text"] else 0,
                "credits": 642,
                "total": len(gsm),
                "sent": len(gsm) - invalid,
                "blacklisted": 0,
                "duplicated": 0,
                "invalid": invalid,
                "npai": 0,
            },
        )
