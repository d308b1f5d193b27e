"""scripts/prod-local.sh driven as a person would: started, used over HTTP, stopped
with Ctrl-C. Shared by tests/deploy/test_prod_local.py and bench/booking_post_blackholed.py."""

import json
import mailbox
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "scripts" / "prod-local.sh"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Response:
    def __init__(self, status, body):
        self.status, self.body = status, body

    def json(self):
        return json.loads(self.body)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url, data=None, timeout=60):
    """One HTTP request, redirects not followed, the answer whatever its status."""
    headers = {"Content-Type": "application/json"} if data is not None else {}
    body = json.dumps(data).encode() if data is not None else None
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, body, headers), timeout=timeout) as answer:
            return Response(answer.status, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read())


def log_with_lines(path, lines, deadline=30):
    """The log file once it has `lines` lines: gunicorn and nginx write a request's line
    after answering it, so the client can be quicker than the log."""
    give_up = time.monotonic() + deadline
    while len(path.read_text().splitlines()) < lines and time.monotonic() < give_up:
        time.sleep(0.2)
    return path.read_text()


class ProdLocal:
    """One run of scripts/prod-local.sh in `folder`, against the servers of the test run
    (the TEST_* variables), or its own when they are not set."""

    def __init__(self, folder, *, worker=True, smtp_port=None):
        self.folder = Path(folder)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = self.folder / "prod-local.log"
        # The test run's own Django variables (settings module, async flag) stay out.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env = {
            **inherited,
            "PROD_LOCAL_DIR": str(self.folder),
            "PROD_LOCAL_PORT": str(self.port),
            "PROD_LOCAL_WORKER": "1" if worker else "0",
        }
        if smtp_port:
            self.env["PROD_LOCAL_SMTP_PORT"] = str(smtp_port)
        self.process = None
        self.worker = None

    def start(self, deadline=300):
        """Starts it and waits until the site answers, or fails with the script's log."""
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", str(SCRIPT)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, as a terminal gives
            )
        give_up = time.monotonic() + deadline
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"prod-local.sh stopped:\n{self.log.read_text()[-3000:]}")
            try:
                request(self.url("/healthz"), timeout=5)  # any answer: gunicorn serves
            except OSError:
                pass
            else:
                return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"prod-local.sh did not serve:\n{self.log.read_text()[-3000:]}")

    def url(self, path):
        return self.base_url + path

    def settings(self):
        """The variables of the env file it wrote, as a service manager reads them."""
        pairs = (
            line.split("=", 1) for line in (self.folder / "env").read_text().splitlines() if line
        )
        return {name: value.strip('"') for name, value in pairs}

    def start_worker(self):
        """The task worker, started apart (the script was told not to)."""
        self.worker = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "db_worker"],
            cwd=ROOT,
            env={**self.env, **self.settings()},
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "test-worker.log").open("wb"),
        )

    def mails(self):
        """The messages the SMTP sink received."""
        folder = self.folder / "mail"
        return list(mailbox.Maildir(folder, create=False)) if folder.exists() else []

    def wait_for_mails(self, count, deadline=120):
        give_up = time.monotonic() + deadline
        while len(self.mails()) < count and time.monotonic() < give_up:
            time.sleep(0.5)
        return self.mails()

    def stop(self):
        """Ctrl-C, as in a terminal: the whole process group gets SIGINT."""
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()
            self.worker.wait(60)
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
