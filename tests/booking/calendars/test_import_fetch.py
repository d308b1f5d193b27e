"""The real fetcher against a local HTTP server: an address typed by a counsellor must
not make the server read its own network, hang, or swallow an endless answer.

Loopback is allowed only through BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS, as a site
would allow its in-house Nextcloud; name resolution is faked, never sent to a DNS server.
"""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from booking.calendars import agenda_import
from booking.calendars.agenda_import import AgendaError, fetch_calendar, refresh
from booking.models import ExternalCalendar

from ..factories import paris

AGENDA = (Path(__file__).with_name("fixtures") / "outlook.ics").read_bytes()
REAL_GETADDRINFO = socket.getaddrinfo


class Handler(BaseHTTPRequestHandler):
    """Answers with the route registered for the path; records each request's headers."""

    def do_GET(self):
        self.server.requests.append({"path": self.path, **dict(self.headers)})
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
        else:
            route(self)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    settings.BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 2
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.routes, httpd.requests, httpd.release = {}, [], threading.Event()
    httpd.url = lambda path: f"http://127.0.0.1:{httpd.server_port}{path}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def answer(status=200, body=b"", **headers):
    def route(handler):
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def endless(handler):
    """An answer with no length that never ends, as HTTP/1.0 allows."""
    handler.protocol_version = "HTTP/1.0"
    handler.send_response(200)
    handler.end_headers()
    try:
        for _chunk in range(10_000):
            handler.wfile.write(b"X" * 65536)
    except OSError:
        pass  # the client hung up, as it should


def trickling(server, *, head=b"", body_length=1000):
    """Sends `head` then one byte every 50 ms, each in time for the per-wait timeout,
    for up to 4 s; `server.hung_up` is set if the client leaves before the end."""

    def route(handler):
        handler.wfile.write(head)
        try:
            for _byte in range(80):
                handler.wfile.write(b"X")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            server.hung_up.set()
            return
        if not head.endswith(b"\r\n\r\n"):  # the headers were trickling: end them
            handler.wfile.write(b"\r\nContent-Length: %d\r\n\r\n" % len(AGENDA) + AGENDA)

    server.hung_up = threading.Event()
    return route


def resolving(monkeypatch, names):
    """Fake DNS: each name in `names` resolves to the given addresses."""

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        return [
            (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "",
             (address, port))
            for address in names[host]
        ]  # fmt: skip

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def refused_with(message, url, **conditions):
    with pytest.raises(AgendaError) as refused:
        fetch_calendar(url, **conditions)
    assert refused.value.message == message
    return refused.value.text()


# What a working agenda server sees ------------------------------------------------------


def test_the_agenda_is_read_with_a_user_agent_naming_passerelle(server):
    server.routes["/agenda.ics"] = answer(body=AGENDA, ETag='"v1"', Last_Modified="Mon, 16 Mar")

    fetched = fetch_calendar(server.url("/agenda.ics"))

    assert fetched.body == AGENDA
    assert (fetched.etag, fetched.last_modified) == ('"v1"', "Mon, 16 Mar")
    assert "Passerelle" in server.requests[0]["User-Agent"]


def test_an_unchanged_agenda_answers_304_to_the_stored_etag(server):
    def conditional(handler):
        if handler.headers["If-None-Match"] == '"v1"':
            answer(304)(handler)
        else:
            answer(body=AGENDA)(handler)

    server.routes["/agenda.ics"] = conditional

    fetched = fetch_calendar(server.url("/agenda.ics"), etag='"v1"', last_modified="Mon, 16 Mar")

    assert fetched.body is None
    assert server.requests[0]["If-Modified-Since"] == "Mon, 16 Mar"


def test_the_whole_import_reads_from_the_server(server, make_counsellor):
    server.routes["/agenda.ics"] = answer(body=AGENDA)
    calendar = ExternalCalendar.objects.create(
        counsellor=make_counsellor("samira"), url=server.url("/agenda.ics")
    )

    assert refresh(calendar, now=paris("2026-03-16 08:00")) is True
    assert calendar.busy_times.count() == 6


def test_a_webcal_link_is_read_over_https():
    assert agenda_import.normalise_url("webcal://p01-caldav.icloud.com/published/2/x") == (
        "https://p01-caldav.icloud.com/published/2/x"
    )


# Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://files.example.org/agenda.ics", "gopher://x", "https://"]
)
def test_only_web_addresses_are_fetched(url):
    refused_with(agenda_import.SCHEME_REFUSED, url)


def test_an_agenda_too_large_is_refused_from_its_declared_length(server, settings):
    settings.BOOKING_EXTERNAL_CALENDAR_MAX_BYTES = 1000
    server.routes["/big.ics"] = answer(body=b"X" * 5000)
    refused_with(agenda_import.TOO_BIG, server.url("/big.ics"))


def test_an_endless_answer_is_cut_at_the_size_limit(server, settings):
    settings.BOOKING_EXTERNAL_CALENDAR_MAX_BYTES = 100_000
    server.routes["/endless.ics"] = endless
    message = refused_with(agenda_import.TOO_BIG, server.url("/endless.ics"))
    assert "97" in message  # the limit, 100,000 bytes, in kB


def test_a_server_that_does_not_answer_in_time_is_left(server, settings):
    settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 0.2
    server.routes["/slow.ics"] = lambda handler: server.release.wait(30)
    refused_with(agenda_import.TIMED_OUT, server.url("/slow.ics"))


def test_a_body_sent_one_byte_at_a_time_is_left_at_the_deadline(server, settings):
    """Each byte comes before the per-wait timeout (0.3 s); the whole read still ends at
    the deadline (3 × 0.3 s), long before the server would have finished."""
    settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 0.3
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    server.routes["/trickle.ics"] = trickling(server, head=head)

    refused_with(agenda_import.TIMED_OUT, server.url("/trickle.ics"))
    assert server.hung_up.wait(10)


def test_headers_sent_one_byte_at_a_time_are_left_at_the_deadline(server, settings):
    settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 0.3
    server.routes["/trickle.ics"] = trickling(server, head=b"HTTP/1.1 200 OK\r\nX-Slow: ")

    refused_with(agenda_import.TIMED_OUT, server.url("/trickle.ics"))
    assert server.hung_up.wait(10)


def test_an_answer_without_length_cut_by_the_deadline_is_not_taken_for_the_agenda(server, settings):
    """HTTP/1.0 ends the body when the connection closes: the deadline closing it must
    not make the bytes read so far look like a whole (emptier) agenda."""
    settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 0.3
    server.routes["/trickle.ics"] = trickling(server, head=b"HTTP/1.0 200 OK\r\n\r\n")

    refused_with(agenda_import.TIMED_OUT, server.url("/trickle.ics"))


def test_an_error_status_is_reported_with_its_code(server):
    text = refused_with(agenda_import.ERROR_STATUS, server.url("/expired-secret.ics"))
    assert "404" in text


def test_redirects_are_followed_a_few_times_only(server):
    server.routes["/old.ics"] = answer(301, Location="/agenda.ics")
    server.routes["/agenda.ics"] = answer(body=AGENDA)
    server.routes["/loop.ics"] = answer(302, Location="/loop.ics")

    assert fetch_calendar(server.url("/old.ics")).body == AGENDA
    refused_with(agenda_import.TOO_MANY_REDIRECTS, server.url("/loop.ics"))
    assert len([r for r in server.requests if r["path"] == "/loop.ics"]) == 4


def test_a_redirect_to_the_cloud_metadata_address_is_refused(server):
    server.routes["/agenda.ics"] = answer(302, Location="http://169.254.169.254/latest/meta-data/")
    refused_with(agenda_import.PRIVATE_ADDRESS, server.url("/agenda.ics"))


def test_the_connection_goes_to_the_checked_address_under_the_sites_name(server, monkeypatch):
    """A name that answers the loopback first and another address afterwards (DNS
    rebinding): the connection goes to the address that was checked, and the server
    still sees its own name (HTTPS checks the certificate against it)."""
    answers = [["127.0.0.1"], ["127.0.0.2"]]

    def rebinding(host, port, *args, **kwargs):
        if host != "agenda.example.org":
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        address = answers.pop(0)[0] if len(answers) > 1 else answers[0][0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.routes["/agenda.ics"] = answer(body=AGENDA)

    assert fetch_calendar(f"http://agenda.example.org:{server.server_port}/agenda.ics").body
    assert server.requests[0]["Host"] == f"agenda.example.org:{server.server_port}"


# Which addresses may be read ------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.251",
        "::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        # IPv6 forms carrying an IPv4 address, which Python calls global.
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of the cloud metadata address
        "64:ff9b:1::a00:1",  # local-use NAT64
        "64:ff9b:1::5db8:d70e",  # local-use NAT64, even of a public address
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:c0a8:10a::1",  # 6to4 of 192.168.1.10
        "2002:5db8:d70e::1",  # 6to4, even of a public address
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "::a00:1",  # IPv4-compatible 10.0.0.1
        "::5db8:d70e",  # IPv4-compatible, even of a public address
        "::ffff:0:7f00:1",  # IPv4-translated 127.0.0.1
        "::ffff:0:a00:1",  # IPv4-translated 10.0.0.1
    ],
)
def test_private_and_special_addresses_are_refused(address, monkeypatch):
    resolving(monkeypatch, {"agenda.example.org": [address]})
    refused_with(agenda_import.PRIVATE_ADDRESS, "https://agenda.example.org/x.ics")


def test_one_private_answer_among_public_ones_is_enough_to_refuse(monkeypatch):
    resolving(monkeypatch, {"agenda.example.org": ["93.184.215.14", "10.0.0.7"]})
    refused_with(agenda_import.PRIVATE_ADDRESS, "https://agenda.example.org/x.ics")


@pytest.mark.parametrize(
    "addresses",
    [
        ["93.184.215.14"],
        ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
        # What an IPv6-only server behind DNS64 gets for a public IPv4 agenda server.
        ["64:ff9b::5db8:d70e"],
    ],
)
def test_public_addresses_are_accepted(addresses, monkeypatch):
    resolving(monkeypatch, {"agenda.example.org": addresses})
    assert agenda_import.vetted_addresses("agenda.example.org", 443) == addresses


def test_a_name_that_does_not_resolve_is_reported(monkeypatch):
    def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    refused_with(agenda_import.UNKNOWN_HOST, "https://agenda.invalid/x.ics")
