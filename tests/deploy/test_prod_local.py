"""make prod-local from end to end: scripts/prod-local.sh on production settings, with
the test run's PostgreSQL, Redis and S3, used over real HTTP like a partner app would."""

import email.header
import re
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from .prod_local import ROOT, ProdLocal, log_with_lines, request

pytestmark = [pytest.mark.prod, pytest.mark.postgres]

BOOKER = "samira.prod-local@example.org"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, postgres_url, redis_url, s3_server):
    """One stack for the module, its task worker left out until a test starts it."""
    stack = ProdLocal(tmp_path_factory.mktemp("prod-local"), worker=False).start()
    yield stack
    stack.stop()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", stack.port)) != 0, "Ctrl-C left the site running"


def a_free_individual_slot(stack):
    slots = request(stack.url("/api/v1/slots?format=individuel")).json()
    assert slots, "the demo offers individual appointments"
    return slots[0]


def book(stack, slot):
    return request(
        stack.url("/api/v1/bookings"),
        {
            "counsellor": slot["counsellor"] or "any",
            "format": slot["format"],
            "start": slot["start"],
            "place": slot["place"]["id"],
            "first_name": "Samira",
            "email": BOOKER,
            "consent": True,
        },
    )


def test_the_site_serves_pages_media_and_health(stack):
    home = request(stack.url("/"))
    assert home.status == 200
    assert "Passerelle" in home.body.decode()

    health = request(stack.url("/healthz"))
    assert health.status == 200, health.body
    assert health.json()["status"] == "ok"

    # Static files from WhiteNoise, under their hashed names.
    page = home.body.decode()
    stylesheet = page.split('href="/static/')[1].split('"')[0]
    assert request(stack.url("/static/" + stylesheet)).status == 200

    # Media live in the bucket, at public addresses the pages link to.
    sources = [src.split('"')[0] for src in page.split('src="')[1:]]
    captions = [src for src in sources if src.endswith(".vtt")]
    assert captions, "the home page's video has captions"
    vtt = request(captions[0])
    assert vtt.status == 200
    assert vtt.body.startswith(b"WEBVTT")


def test_the_api_docs_page_loads_swagger_ui_from_the_sites_own_static_files(stack):
    """collectstatic collected ninja's Swagger UI, and WhiteNoise serves it under the
    hashed names the page asks for: no CDN."""
    docs = request(stack.url("/api/v1/docs"))
    assert docs.status == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.body.decode())
    assert {asset.rsplit(".", 1)[-1] for asset in assets} >= {"css", "js"}
    for asset in assets:
        assert asset.startswith("/static/"), asset
        served = request(stack.url(asset))
        assert served.status == 200 and served.body, asset


def test_the_confirmation_is_sent_by_the_worker_not_by_the_booking_request(stack):
    slot = a_free_individual_slot(stack)

    booked = book(stack, slot)
    assert booked.status == 201, booked.body
    # The request only queued the e-mail: with no worker running, nothing was sent.
    assert not [m for m in stack.mails() if BOOKER in m["To"]]

    stack.start_worker()
    # The worker may send the counsellor's notice first: wait for the person's own.
    mails = []
    deadline = time.monotonic() + 120
    while not mails and time.monotonic() < deadline:
        mails = [m for m in stack.wait_for_mails(1) if BOOKER in m["To"]]
        time.sleep(0.2)
    assert len(mails) == 1
    mail = mails[0]
    subject = str(email.header.make_header(email.header.decode_header(mail["Subject"])))
    assert subject.startswith("Ton rendez-vous")
    parts = {part.get_content_type(): part for part in mail.walk()}
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert stack.base_url + "/rendez-vous/gerer/" in text


def test_the_access_log_keeps_no_token_and_no_query_string(stack):
    feed = "/rendez-vous/agenda/Secret-Feed-Token_123.ics?since=Secret-Query"
    manage = "/rendez-vous/gerer/Secret-Manage-Token/annuler/"
    before = len((stack.folder / "access.log").read_text().splitlines())
    for path in (feed, manage):
        request(stack.url(path))

    log = log_with_lines(stack.folder / "access.log", before + 2)
    assert "GET /rendez-vous/agenda/*** " in log
    assert "GET /rendez-vous/gerer/***/annuler/ " in log
    assert "Secret" not in log


def test_a_backup_restores_the_bookings(stack, tmp_path):
    """docs/deploy.md's pg_dump and pg_restore commands, on the stack's database."""
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    database = stack.settings()["DATABASE_URL"]
    assert book(stack, a_free_individual_slot(stack)).status == 201
    dump = tmp_path / "passerelle.dump"
    subprocess.run([bindir / "pg_dump", "-Fc", "-f", dump, database], check=True, timeout=120)

    # Restored as in the guide: into a database owned by a role that is no superuser.
    restored = database + "_restored"
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("create role restored_owner")
        connection.execute(f"create database {restored.rsplit('/', 1)[1]} owner restored_owner")
    subprocess.run(
        [bindir / "pg_restore", "--no-owner", "--role=restored_owner", "--exit-on-error",
         "-d", restored, dump],
        check=True, timeout=120,
    )  # fmt: skip
    count = "select count(*) from booking_booking"
    with psycopg.connect(database) as original, psycopg.connect(restored) as copy:
        assert copy.execute(count).fetchone() == original.execute(count).fetchone() >= (1,)


def test_a_page_published_elsewhere_shows_at_once_on_every_worker(stack):
    """Each gunicorn worker answers kept pages from its own memory (core.stamps): a
    publication made by another process (a management shell, started beforehand so that
    it publishes within a second of the workers' last reads) shows on the very next
    request, whichever worker takes it."""
    publish = (
        "import sys; from home.models import HomePage; "
        "page = HomePage.objects.get(url_path='/accueil/'); "
        "print('ready', flush=True); sys.stdin.readline(); "
        "page.seo_title = 'Bienvenue, Lens'; page.save_revision().publish(); "
        "print('done', flush=True)"
    )
    shell = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "--no-imports"]
        + ["-c", publish],
        cwd=ROOT,
        env={**stack.env, **stack.settings()},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert shell.stdout.readline().strip() == "ready"
        for _ in range(30):  # every worker keeps the home page, and its site's stamp
            assert "Bienvenue, Lens" not in request(stack.url("/")).body.decode()
        shell.stdin.write("go\n")
        shell.stdin.flush()
        assert shell.stdout.readline().strip() == "done"
        pages = [request(stack.url("/")).body.decode() for _ in range(30)]
    finally:
        shell.kill()
    assert all("Bienvenue, Lens" in page for page in pages)
