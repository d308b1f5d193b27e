"""How fast each public page is next to a bare Wagtail site's home page (issue 10's
proof): prints figures, asserts nothing.

    .venv/bin/python bench/pages.py [--seconds 3] [--slices 3] [--clients 4]
        [--max-requests 0] [--uncached-env NAME=VALUE ...]

Starts the production stack with make prod-local (scripts/prod-local.sh: PostgreSQL,
Redis, migrations, the demo, the task worker), then three gunicorns of 2 workers each
with deploy/gunicorn.conf.py: two Passerelles on the stack's production settings, the
uncached one with the `--uncached-env` variables added (PAGE_CACHE_SECONDS=0 by
default, the page cache's off switch for the settings to read; while the settings read
no such variable both serve alike, so "cached" means repeated anonymous GETs with
whatever caching exists), and the baseline: a site made by `wagtail start` in a
temporary folder, on its production settings and its own SQLite file, as `wagtail
start` makes it. Worker recycling is off unless `--max-requests` says otherwise: a
cached page at thousands of requests per second would otherwise restart a worker every
second, and the table would measure Django's start-up instead of the page.

For each page, the uncached Passerelle, the baseline's home page and the cached
Passerelle are loaded in turn, in `--slices` slices of the `--seconds`, so that a noisy
machine slows all three alike. The load is wrk (Debian's `wrk`; the bench stops and
says so when it is missing) with `--clients` connections, gzip accepted as browsers do:
a client in C, so that a page answered in a tenth of a bare Wagtail's time is not held
back by the client. Its ceiling, a gunicorn giving a fixed 20 kB answer, is printed
first. Queries per request are counted in this process (the Django test client on the
stack's settings with the uncached variables, second request). The last lines are
`kept pages: min ratio cached <z>; rendered for every visit: ...`, and
`pages: min ratio uncached <x>, min ratio cached <y>`. Uses the TEST_* servers when
set (scripts/with-services.sh), else starts its own; downloads nothing.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy.prod_local import ProdLocal, free_port, request  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
WORKERS = "2"
CMS_PAGES = [
    ("home", "/"),
    ("welcome booklet", "/livret-d-accueil/"),
    ("counsellor index", "/conseilleres-et-conseillers/"),
    ("counsellor profile", "/conseilleres-et-conseillers/samia/"),
    ("event index", "/evenements/"),
    ("event", "/evenements/portes-ouvertes/"),
]
FLOW = "/rendez-vous/"


def report(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Forms(HTMLParser):
    """The forms of a page: action, method, and the values a person would send by
    keeping the hidden fields and picking the first (or checked) radio of each group."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append({"action": attrs.get("action") or "", "method": method, "data": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            data, name = self.forms[-1]["data"], attrs["name"]
            kind = attrs.get("type", "text")
            if kind == "hidden" or (kind == "radio" and (name not in data or "checked" in attrs)):
                data[name] = attrs.get("value") or ""


def booking_steps(base_url):
    """The five GET pages of the booking flow, each reached by submitting the previous
    one's form as a person would: its path with the query string of the choices so far.
    The first choice of each question is taken: "first available" counsellor, the first
    format, a first meeting, the first place and the first free time."""
    steps, path = [], FLOW
    while len(steps) < 5:
        answer = request(base_url + path)
        if answer.status != 200:
            raise RuntimeError(f"booking step {len(steps) + 1} ({path}) answered {answer.status}")
        steps.append((f"booking step {len(steps) + 1}", path))
        parser = Forms()
        parser.feed(answer.body.decode())
        form = next(f for f in parser.forms if urlsplit(f["action"]).path == FLOW)
        if form["method"] != "get":
            break
        path = FLOW + "?" + urlencode(form["data"])
    return steps


def week_of_slots():
    """The API's free times for the coming week, whoever the counsellor."""
    start = date.today()
    return (
        "/api/v1/slots, one week",
        f"/api/v1/slots?start={start}&end={start + timedelta(days=6)}",
    )


# wrk's report of one run, read by `load`: the count, the time taken and the errors
# (connection failures, answers other than 2xx/3xx), the latency percentiles, all times
# in microseconds.
WRK_REPORT = """done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("requests %d\\n", summary.requests))
  io.write(string.format("duration %d\\n", summary.duration))
  io.write(string.format("errors %d\\n",
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
  for p = 1, 99 do io.write(string.format("p%d %d\\n", p, latency:percentile(p))) end
end
"""


def wrk_script(folder):
    """The Lua report wrk runs at the end of each slice, written once."""
    script = folder / "report.lua"
    script.write_text(WRK_REPORT)
    return script


def load(script, clients, port, path, seconds):
    """wrk on the page for `seconds` (whole ones, as wrk counts), `clients` connections,
    gzip accepted as browsers do: (requests, seconds taken, errors, the 99 percentiles
    of latency in seconds)."""
    threads = min(clients, os.cpu_count() or 1)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
         "-H", "Accept-Encoding: gzip", "-s", str(script), f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    figures = dict(line.split(" ", 1) for line in output.splitlines()[-102:])
    percentiles = [int(figures[f"p{n}"]) / 1e6 for n in range(1, 100)]
    return (
        int(figures["requests"]),
        int(figures["duration"]) / 1e6,
        int(figures["errors"]),
        percentiles,
    )


class Tally:
    """The answers one server gave on one page, over all its slices."""

    def __init__(self):
        self.requests, self.seconds, self.slices = 0, 0.0, []

    def add(self, script, options, port, path):
        """One slice: wrk loads the page for the run's seconds over slices."""
        seconds = options.seconds / options.slices
        requests, seconds, errors, percentiles = load(script, options.clients, port, path, seconds)
        if errors:
            raise RuntimeError(f"{path} on port {port}: {errors} requests failed")
        self.requests += requests
        self.seconds += seconds
        self.slices.append((requests, percentiles))

    def rps(self):
        return self.requests / self.seconds

    def percentile(self, n):
        """The n-th percentile of the latencies, in milliseconds: each slice's
        percentiles stand for its requests, one hundredth each."""
        weighted = sorted(
            (latency, count / 100) for count, found in self.slices for latency in found
        )
        rank, total = 0.0, sum(weight for _, weight in weighted)
        for latency, weight in weighted:
            rank += weight
            if rank >= total * n / 100:
                return latency * 1000
        return weighted[-1][0] * 1000


def wait_until_serving(base_url, process, what):
    for _ in range(240):
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped")
        try:
            request(base_url + "/", timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{what} did not serve")


def gunicorn(app, cwd, env, log, max_requests):
    """Passerelle's gunicorn configuration, for `app`, on a free port."""
    port = free_port()
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--workers", WORKERS, "--max-requests", str(max_requests),
         "--bind", f"127.0.0.1:{port}", app],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    return process, port


def passerelle(stack, env, name, max_requests):
    """A gunicorn of its own on the stack's settings, plus `env`."""
    env = {**os.environ, **stack.settings(), **env}
    env["GUNICORN_ACCESS_LOG"] = str(stack.folder / f"{name}-access.log")
    log = stack.folder / f"{name}.log"
    process, port = gunicorn("config.wsgi", ROOT, env, log, max_requests)
    wait_until_serving(f"http://127.0.0.1:{port}", process, f"the {name} gunicorn")
    return process, port


def bare_wagtail(folder, max_requests):
    """`wagtail start` in `folder`, migrated, on its production settings, with the same
    gunicorn configuration (and so the same access log work) as Passerelle."""
    site = folder / "baseline"
    site.mkdir()
    subprocess.run(
        [str(VENV_BIN / "wagtail"), "start", "baseline", str(site)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (site / "baseline" / "settings" / "local.py").write_text(
        'SECRET_KEY = "bench-baseline"\nALLOWED_HOSTS = ["127.0.0.1", "localhost"]\n'
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "baseline.settings.production",
        "GUNICORN_ACCESS_LOG": str(folder / "baseline-access.log"),
    }
    python = str(VENV_BIN / "python")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([python, "manage.py", *command, "-v", "0"], cwd=site, env=env, check=True)
    process, port = gunicorn("baseline.wsgi", site, env, folder / "baseline.log", max_requests)
    wait_until_serving(f"http://127.0.0.1:{port}", process, "the bare Wagtail site")
    return process, port


FIXED_ANSWER = """def application(environ, start_response):
    body = b"x" * 20000
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", "20000")])
    return [body]
"""


def fixed_answer(folder, max_requests):
    """gunicorn answering 20 kB without any work: the most the load generator can show
    on this machine, so a cached page near it is held back by the client, not the site."""
    (folder / "fixed_answer.py").write_text(FIXED_ANSWER)
    env = {**os.environ, "GUNICORN_ACCESS_LOG": str(folder / "fixed-access.log")}
    process, port = gunicorn("fixed_answer", folder, env, folder / "fixed.log", max_requests)
    wait_until_serving(f"http://127.0.0.1:{port}", process, "the fixed answer")
    return process, port


def query_counter(stack, uncached_env):
    """A function giving a page's queries per request, page cache off, in this process."""
    for name in [name for name in os.environ if name.startswith("DJANGO_")]:
        del os.environ[name]
    os.environ.update({**stack.settings(), **uncached_env})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def count(path):
        client.get(path)  # the first request fills the per-process caches
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        connection.close()  # the load's processes are forked from this one
        return len(queries)

    return count


def is_kept(url):
    """Whether the page cache keeps the page: what it keeps carries an ETag (the page
    view's, or a view's that says its answer is everyone's); the rest is rendered for
    each visit (the details step's form carries the visitor's own CSRF token)."""
    for _ in range(2):
        with urllib.request.urlopen(url, timeout=60) as answer:
            etag = answer.headers.get("ETag")
    return etag is not None


def run(stack, options, uncached_env, ports):
    pages = [
        *CMS_PAGES,
        *booking_steps(stack.base_url),
        week_of_slots(),
        ("search", "/recherche/?q=emploi"),
    ]
    count = query_counter(stack, uncached_env)
    report(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    report(
        f"{options.clients} clients, {options.seconds:g} s per server and page in "
        f"{options.slices} slices, gunicorn {WORKERS} workers, max requests "
        f"{options.max_requests}; uncached: "
        + " ".join(f"{name}={value}" for name, value in uncached_env.items())
    )
    for title, path in pages:
        report(f"  {title}: {path}")
    script = wrk_script(stack.folder)
    ceiling = Tally()
    ceiling.add(script, options, ports["fixed"], "/")
    report(f"load generator's ceiling: {ceiling.rps():.0f} rps (a fixed 20 kB answer)")
    header = (
        f"{'page':<26} {'queries':>7} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'bare rps':>8} {'ratio':>6} {'cached rps':>10} {'p50 ms':>7} {'ratio':>6}"
    )
    report(header)
    report("-" * len(header))
    ratios, cached_ratios, kept = [], [], []
    for title, path in pages:
        queries = count(path)
        kept.append(is_kept(f"http://127.0.0.1:{ports['cached']}{path}"))
        runs = [
            (Tally(), ports["uncached"], path),
            (Tally(), ports["baseline"], "/"),
            (Tally(), ports["cached"], path),
        ]
        for _, port, url in runs:  # warm-up: the first answers fill caches
            load(script, options.clients, port, url, 1)
        for _ in range(options.slices):
            for tally, port, url in runs:
                tally.add(script, options, port, url)
        uncached, bare, cached = (tally for tally, _, _ in runs)
        ratios.append(uncached.rps() / bare.rps())
        cached_ratios.append(cached.rps() / bare.rps())
        report(
            f"{title:<26} {queries:>7} {uncached.rps():>7.0f} {uncached.percentile(50):>7.1f} "
            f"{uncached.percentile(95):>7.1f} {bare.rps():>8.0f} {ratios[-1]:>6.2f} "
            f"{cached.rps():>10.0f} {cached.percentile(50):>7.1f} {cached_ratios[-1]:>6.2f}"
        )
    rendered = [title for (title, _), keeps in zip(pages, kept, strict=True) if not keeps]
    report(  # the pages the page cache keeps; the others are rendered for every visit
        f"kept pages: min ratio cached "
        f"{min(r for r, keeps in zip(cached_ratios, kept, strict=True) if keeps):.2f}; "
        f"rendered for every visit: {', '.join(rendered)}"
    )
    report(
        f"pages: min ratio uncached {min(ratios):.2f}, min ratio cached {min(cached_ratios):.2f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=3.0,
        help="per server and page, split in slices of whole seconds (default 3)",
    )
    parser.add_argument(
        "--slices", type=int, default=3, help="turns the seconds are split in (default 3)"
    )
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="gunicorn's worker recycling (default 0: off; production has 1000)",
    )
    parser.add_argument(
        "--uncached-env",
        action="append",
        metavar="NAME=VALUE",
        help="environment of the uncached server (default PAGE_CACHE_SECONDS=0)",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit(
            "bench/pages.py needs wrk, the load generator: apt-get install wrk "
            "(scripts/ensure-test-deps.sh installs it on a fresh machine)"
        )
    uncached_env = dict(
        pair.split("=", 1) for pair in options.uncached_env or ["PAGE_CACHE_SECONDS=0"]
    )
    # make prod-local's own gunicorn only serves the booking steps' discovery.
    os.environ["WEB_CONCURRENCY"] = "1"
    processes, ports = [], {}
    with tempfile.TemporaryDirectory(prefix="passerelle-bench-") as name:
        folder = Path(name)
        (folder / "stack").mkdir()
        stack = ProdLocal(folder / "stack").start()
        try:
            for server, start in [
                ("baseline", lambda: bare_wagtail(folder, options.max_requests)),
                (
                    "uncached",
                    lambda: passerelle(stack, uncached_env, "uncached", options.max_requests),
                ),
                ("cached", lambda: passerelle(stack, {}, "cached", options.max_requests)),
                ("fixed", lambda: fixed_answer(folder, options.max_requests)),
            ]:
                process, ports[server] = start()
                processes.append(process)
            run(stack, options, uncached_env, ports)
        finally:
            for process in processes:
                process.terminate()
                process.wait(60)
            stack.stop()


if __name__ == "__main__":
    main()
