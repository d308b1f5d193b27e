"""How long a booking POST takes when the mail server accepts connections and never
answers: prints figures, asserts nothing.

    .venv/bin/python bench/booking_post_blackholed.py [N]

Starts make prod-local (scripts/prod-local.sh: production settings, gunicorn, the task
worker) with DJANGO_EMAIL_PORT pointing to such a socket, then times N booking POSTs to
/api/v1/bookings (median, max). There the request only queues the e-mail; the worker is
the one left waiting. For comparison, a second gunicorn on the same database runs tasks
inline (the ImmediateBackend, the former production default) and is timed the same way:
each of its bookings waits for DJANGO_EMAIL_TIMEOUT. Uses the TEST_* servers when set
(scripts/with-services.sh), else starts its own. N is 5 by default: both runs share the
rate limit of 10 bookings per address and hour.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy.prod_local import ProdLocal, free_port, request  # noqa: E402

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def report(line):
    sys.stdout.write(line + "\n")


def blackhole():
    """A loopback port whose connections are accepted, held open and never answered."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            connection, _ = server.accept()
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1]


def time_bookings(base_url, slots):
    durations, statuses = [], []
    for slot in slots:
        started = time.perf_counter()
        answer = request(
            base_url + "/api/v1/bookings",
            {
                "format": slot["format"],
                "start": slot["start"],
                "place": slot["place"]["id"],
                "first_name": "Bench",
                "email": f"bench-{len(durations)}@example.org",
                "consent": True,
            },
        )
        durations.append(time.perf_counter() - started)
        statuses.append(answer.status)
    return durations, statuses


def summary(name, durations, statuses):
    report(
        f"{name:<34} median {statistics.median(durations) * 1000:8.0f} ms, "
        f"max {max(durations) * 1000:8.0f} ms, statuses {sorted(set(statuses))}"
    )


def inline_gunicorn(stack):
    """gunicorn on the stack's settings, tasks run inside the request."""
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, **stack.settings(), "DJANGO_TASKS_BACKEND": IMMEDIATE,
             "GUNICORN_ACCESS_LOG": os.devnull},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            request(base_url + "/healthz", timeout=5)
            return process, base_url
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the inline gunicorn did not start")


def main(runs):
    with tempfile.TemporaryDirectory(prefix="passerelle-bench-") as folder:
        stack = ProdLocal(folder, smtp_port=blackhole()).start()
        inline = None
        try:
            slots = request(stack.url("/api/v1/slots?format=individuel")).json()
            report(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
            report(f"{runs} booking POSTs each, SMTP server accepting and never answering:")
            summary("queued (db_worker sends)", *time_bookings(stack.base_url, slots[:runs]))
            inline, inline_url = inline_gunicorn(stack)
            timeout = stack.settings().get("DJANGO_EMAIL_TIMEOUT", "10")
            summary(
                f"inline (EMAIL_TIMEOUT {timeout} s)",
                *time_bookings(inline_url, slots[runs : 2 * runs]),
            )
        finally:
            if inline:
                inline.terminate()
                inline.wait(60)
            stack.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
