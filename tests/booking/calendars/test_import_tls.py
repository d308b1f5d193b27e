"""The HTTPS path of the agenda fetcher against a local TLS server: the connection goes
to the address that was checked, while the certificate is still verified against the
name the counsellor typed (otherwise pinning the address would disable TLS checks).

The certificate authority and the `agenda.test` certificate are checked in under
fixtures/tls; name resolution is faked, as in test_import_fetch.
"""

import ssl
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from booking.calendars import agenda_import
from booking.calendars.agenda_import import fetch_calendar

from .test_import_fetch import AGENDA, Handler, answer, refused_with, resolving, trickling

TLS = Path(__file__).with_name("fixtures") / "tls"
REAL_DEFAULT_CONTEXT = ssl.create_default_context


class QuietTLSServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A refused handshake is what some tests want; no traceback for it."""


@pytest.fixture
def tls_server(settings):
    settings.BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 2
    httpd = QuietTLSServer(("127.0.0.1", 0), Handler)
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(TLS / "agenda.test.pem")
    httpd.socket = server_side.wrap_socket(httpd.socket, server_side=True)
    httpd.routes, httpd.requests = {"/agenda.ics": answer(body=AGENDA)}, []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def trusting_test_ca(monkeypatch):
    """The system's trust store, plus the test authority (as a site's own CA would be)."""
    monkeypatch.setattr(
        ssl, "create_default_context", lambda: REAL_DEFAULT_CONTEXT(cafile=TLS / "test-ca.pem")
    )


def test_an_https_agenda_is_read_at_the_checked_address_under_its_own_name(
    tls_server, trusting_test_ca, monkeypatch
):
    resolving(monkeypatch, {"agenda.test": ["127.0.0.1"]})
    port = tls_server.server_port

    fetched = fetch_calendar(f"webcal://agenda.test:{port}/agenda.ics")

    assert fetched.body == AGENDA
    assert tls_server.requests[0]["Host"] == f"agenda.test:{port}"


def test_a_certificate_for_another_name_is_refused(tls_server, trusting_test_ca, monkeypatch):
    resolving(monkeypatch, {"calendar.example.org": ["127.0.0.1"]})
    url = f"https://calendar.example.org:{tls_server.server_port}/agenda.ics"

    refused_with(agenda_import.BAD_CERTIFICATE, url)
    assert tls_server.requests == []


def test_a_certificate_from_an_unknown_authority_is_refused(tls_server, monkeypatch):
    resolving(monkeypatch, {"agenda.test": ["127.0.0.1"]})
    url = f"https://agenda.test:{tls_server.server_port}/agenda.ics"

    refused_with(agenda_import.BAD_CERTIFICATE, url)
    assert tls_server.requests == []


def test_an_https_body_sent_one_byte_at_a_time_is_left_at_the_deadline(
    tls_server, trusting_test_ca, monkeypatch, settings
):
    settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT = 0.3
    resolving(monkeypatch, {"agenda.test": ["127.0.0.1"]})
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
    tls_server.routes["/trickle.ics"] = trickling(tls_server, head=head)

    refused_with(
        agenda_import.TIMED_OUT, f"https://agenda.test:{tls_server.server_port}/trickle.ics"
    )
    assert tls_server.hung_up.wait(10)
