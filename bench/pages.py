"""How fast each public page is next to a bare Wagtail site's home page (issue 10's
proof): prints figures, asserts nothing.

    .venv/bin/python bench/pages.py [--seconds 3] [--clients 4] [--uncached-env NAME=VALUE]

Starts the production stack with make prod-local (scripts/prod-local.sh: PostgreSQL,
Redis, the demo, gunicorn with 2 workers on production settings) and, on the same
database and cache, a second gunicorn of 2 workers whose environment also holds the
`--uncached-env` variables (PAGE_CACHE_SECONDS=0 by default: the switch that turns the
page cache off, for the settings to read). The baseline is a Wagtail site made here by
`wagtail start` in a temporary folder, on its own SQLite file as `wagtail start` makes
it, on its production settings, served by gunicorn with 2 workers.

For each page it loads, in turn, the uncached Passerelle, the baseline's home page and
the cached Passerelle, for `--seconds` each, so that a noisy machine slows all three
alike; each ratio divides by the baseline run between the two. The load is `--clients`
processes, each sending one request after another. Queries per request are counted in
this process (the Django test client on the stack's settings, page cache off, second
request). The last line is `pages: min ratio uncached <x>, min ratio cached <y>`.
Uses the TEST_* servers when set (scripts/with-services.sh), else starts its own.
"""

import argparse
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
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


def load(port, path, deadline):
    """One client: requests one after another until `deadline`; (latencies, failures)."""
    latencies, failures = [], 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            answer = connection.getresponse()
            answer.read()
            ok = answer.status == 200
        except OSError:
            ok = False
        finally:
            connection.close()
        if ok:
            latencies.append(time.perf_counter() - started)
        else:
            failures += 1
    return latencies, failures


def measure(pool, options, port, path):
    """(rps, p50 ms, p95 ms) of the clients on one page for the run's seconds, after a
    warm-up."""
    seconds = options.seconds
    load(port, path, time.monotonic() + 0.3)
    deadline = time.monotonic() + seconds
    results = pool.starmap(load, [(port, path, deadline)] * options.clients)
    latencies = sorted(t for found, _ in results for t in found)
    failures = sum(failed for _, failed in results)
    if failures or not latencies:
        raise RuntimeError(f"{path} on port {port}: {failures} requests failed")
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, cuts[49] * 1000, cuts[94] * 1000


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


def gunicorn(app, cwd, env, log):
    port = free_port()
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--workers", WORKERS, "--bind", f"127.0.0.1:{port}", app],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    return process, port


def uncached_passerelle(stack, uncached_env):
    """A second gunicorn on the stack's settings with the page cache switched off."""
    env = {**os.environ, **stack.settings(), **uncached_env}
    env["GUNICORN_ACCESS_LOG"] = str(stack.folder / "uncached-access.log")
    process, port = gunicorn("config.wsgi", ROOT, env, stack.folder / "uncached.log")
    wait_until_serving(f"http://127.0.0.1:{port}", process, "the uncached gunicorn")
    return process, port


def bare_wagtail(folder):
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
    process, port = gunicorn("baseline.wsgi", site, env, folder / "baseline.log")
    wait_until_serving(f"http://127.0.0.1:{port}", process, "the bare Wagtail site")
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


def run(stack, options, uncached_env, baseline_port, uncached_port):
    stack_port = int(urlsplit(stack.base_url).port)
    pages = [
        *CMS_PAGES,
        *booking_steps(stack.base_url),
        week_of_slots(),
        ("search", "/recherche/?q=emploi"),
    ]
    count = query_counter(stack, uncached_env)
    report(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}")
    report(
        f"{options.clients} clients, {options.seconds:g} s per run, gunicorn {WORKERS} workers; "
        f"uncached: {' '.join(f'{k}={v}' for k, v in uncached_env.items())}"
    )
    header = (
        f"{'page':<26} {'queries':>7} {'rps':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'bare rps':>8} {'ratio':>6} {'cached rps':>10} {'p50 ms':>7} {'ratio':>6}"
    )
    for title, path in pages:
        report(f"  {title}: {path}")
    report(header)
    report("-" * len(header))
    ratios, cached_ratios = [], []
    with multiprocessing.Pool(options.clients) as pool:
        for title, path in pages:
            queries = count(path)
            rps, p50, p95 = measure(pool, options, uncached_port, path)
            bare, _, _ = measure(pool, options, baseline_port, "/")
            cached, cached_p50, _ = measure(pool, options, stack_port, path)
            ratios.append(rps / bare)
            cached_ratios.append(cached / bare)
            report(
                f"{title:<26} {queries:>7} {rps:>7.0f} {p50:>7.1f} {p95:>7.1f} "
                f"{bare:>8.0f} {rps / bare:>6.2f} {cached:>10.0f} {cached_p50:>7.1f} "
                f"{cached / bare:>6.2f}"
            )
    report(
        f"pages: min ratio uncached {min(ratios):.2f}, min ratio cached {min(cached_ratios):.2f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per run (default 3)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument(
        "--uncached-env",
        action="append",
        metavar="NAME=VALUE",
        help="environment of the uncached server (default PAGE_CACHE_SECONDS=0)",
    )
    options = parser.parse_args()
    uncached_env = dict(
        pair.split("=", 1) for pair in options.uncached_env or ["PAGE_CACHE_SECONDS=0"]
    )
    os.environ["WEB_CONCURRENCY"] = WORKERS
    processes = []
    with tempfile.TemporaryDirectory(prefix="passerelle-bench-") as name:
        folder = Path(name)
        (folder / "stack").mkdir()
        stack = ProdLocal(folder / "stack").start()
        try:
            baseline, baseline_port = bare_wagtail(folder)
            processes.append(baseline)
            uncached, uncached_port = uncached_passerelle(stack, uncached_env)
            processes.append(uncached)
            run(stack, options, uncached_env, baseline_port, uncached_port)
        finally:
            for process in processes:
                process.terminate()
                process.wait(60)
            stack.stop()


if __name__ == "__main__":
    main()
