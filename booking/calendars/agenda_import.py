"""A counsellor's own agenda (Outlook, Google, Nextcloud…) read as busy times.

`refresh(calendar)` fetches the secret iCal address, expands it into busy intervals and
stores them as ExternalBusyTime rows, which booking.scheduling removes from the free slots.
It never raises: whatever goes wrong (network, error page, broken file) keeps the
previous busy times and last good copy, and leaves a plain message for the counsellor,
so a broken agenda never blocks bookings.

The address is typed by a user and fetched by the server, so the fetch guards against
request forgery: only http(s), every resolved address must be public (unless listed in
BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS), the connection goes to the address that was
checked (a second DNS answer cannot point elsewhere), each redirect is checked again,
and time and size are limited. The secret address is never logged, only its host.
"""

import http.client
import ipaddress
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from urllib.parse import urljoin, urlsplit, urlunsplit

import icalendar
import recurring_ical_events
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from booking.models import ExternalBusyTime, ExternalCalendar, Format

from .ics import is_own_uid

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
# What calendar apps call their subscription links; the same file over HTTPS.
WEBCAL_SCHEMES = ("webcal", "webcals")
MAX_REDIRECTS = 3
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# Each network wait is limited by the timeout setting, the whole download by this many
# times it, so a server sending one byte at a time cannot hold the worker.
WHOLE_FETCH_TIMEOUTS = 3
CHUNK_BYTES = 64 * 1024
# Busy times are read from a day ago to the longest booking horizon, at most this far.
LONGEST_WINDOW_DAYS = 400
# No agenda app repeats events this often; such a rule would only make the expansion
# run for minutes (a million occurrences), so it is left out.
RUNAWAY_FREQUENCIES = {"SECONDLY", "MINUTELY"}
USER_AGENT = "Passerelle (counsellor agenda import)"

SCHEME_REFUSED = _("Only addresses starting with https://, http:// or webcal:// can be read.")
UNKNOWN_HOST = _("The server name in this address was not found. Check the address.")
PRIVATE_ADDRESS = _("This address points to a private network, which is not allowed.")
TIMED_OUT = _("The address did not answer in time.")
UNREACHABLE = _("The address could not be reached.")
BAD_CERTIFICATE = _("The security certificate of this address could not be verified.")
TOO_MANY_REDIRECTS = _("The address sends us elsewhere too many times.")
NOT_A_CALENDAR = _(
    "This address does not give an agenda file (.ics). Copy the iCal address again "
    "from your agenda."
)
UNREADABLE = _("The agenda could not be read.")
ERROR_STATUS = _(
    "The address answered with error %(status)s. Copy the iCal address again from your agenda."
)
TOO_BIG = _("The agenda is larger than %(size)s kB, the most we read.")


class AgendaError(Exception):
    """Anything that keeps us from reading the agenda. `text()` is for the counsellor, in
    the language active when it is called (the message and its values are kept apart)."""

    def __init__(self, message, **values):
        super().__init__(message)
        self.message = message
        self.values = values

    def text(self):
        return str(self.message) % self.values if self.values else str(self.message)


@dataclass(frozen=True)
class Fetched:
    """`body` is None when the agenda has not changed since the last read (HTTP 304)."""

    body: bytes | None
    etag: str = ""
    last_modified: str = ""


# Addresses ----------------------------------------------------------------------------


def normalise_url(url):
    """The https address behind a pasted webcal:// link; other schemes are refused."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in WEBCAL_SCHEMES:
        parts = parts._replace(scheme="https")
    elif scheme not in ALLOWED_SCHEMES:
        raise AgendaError(SCHEME_REFUSED)
    if not parts.hostname:
        raise AgendaError(SCHEME_REFUSED)
    return urlunsplit(parts)


def masked(url):
    """The host only: the rest of the address is the counsellor's secret."""
    return urlsplit(url).hostname or "?"


def is_allowed_address(address):
    """Public unicast addresses only, plus the networks the site explicitly allows."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    allowed_networks = settings.BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS
    if any(ip in ipaddress.ip_network(network) for network in allowed_networks):
        return True
    return ip.is_global and not ip.is_multicast


def vetted_addresses(host, port):
    """Every address `host` resolves to, refused as a whole if any one is not allowed
    (the connection must not depend on which answer comes first)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AgendaError(UNKNOWN_HOST) from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise AgendaError(UNKNOWN_HOST)
    if not all(is_allowed_address(address) for address in addresses):
        raise AgendaError(PRIVATE_ADDRESS)
    return addresses


def _connect_to_first(addresses, port, timeout):
    error = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as failure:
            error = failure
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted addresses; the Host header still names the site."""

    def __init__(self, host, port, *, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self):
        self.sock = _connect_to_first(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the vetted addresses; SNI and certificate checks use the host name."""

    def __init__(self, host, port, *, addresses, timeout):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses
        self.tls = ssl.create_default_context()

    def connect(self):
        sock = _connect_to_first(self.addresses, self.port, self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


# Fetching -----------------------------------------------------------------------------


def fetch_calendar(url, *, etag="", last_modified=""):
    """GET the agenda with the guards described above; conditional when `etag` or
    `last_modified` come from the last good read. Raises AgendaError."""
    timeout = settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT
    deadline = time.monotonic() + timeout * WHOLE_FETCH_TIMEOUTS
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    url = normalise_url(url)
    for _redirect in range(MAX_REDIRECTS + 1):
        response, connection = _get(url, headers, timeout)
        try:
            location = response.getheader("Location")
            if response.status in REDIRECT_STATUSES and location:
                url = _redirect_target(url, location)
                continue
            if response.status == 304:
                return Fetched(None, etag, last_modified)
            if response.status != 200:
                raise AgendaError(ERROR_STATUS, status=response.status)
            return Fetched(
                _read_limited(response, deadline),
                response.getheader("ETag", ""),
                response.getheader("Last-Modified", ""),
            )
        except TimeoutError as error:
            raise AgendaError(TIMED_OUT) from error
        except (OSError, http.client.HTTPException) as error:
            raise AgendaError(UNREACHABLE) from error
        finally:
            connection.close()
    raise AgendaError(TOO_MANY_REDIRECTS)


def _get(url, headers, timeout):
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise AgendaError(SCHEME_REFUSED) from error
    addresses = vetted_addresses(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, addresses=addresses, timeout=timeout)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse(), connection
    except TimeoutError as error:
        connection.close()
        raise AgendaError(TIMED_OUT) from error
    except ssl.SSLCertVerificationError as error:
        connection.close()
        raise AgendaError(BAD_CERTIFICATE) from error
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise AgendaError(UNREACHABLE) from error


def _redirect_target(current, location):
    """The next address, checked like the first; never from https down to http."""
    target = normalise_url(urljoin(current, location))
    if urlsplit(current).scheme == "https" and urlsplit(target).scheme != "https":
        raise AgendaError(SCHEME_REFUSED)
    return target


def _read_limited(response, deadline):
    limit = settings.BOOKING_EXTERNAL_CALENDAR_MAX_BYTES
    too_big = AgendaError(TOO_BIG, size=limit // 1024)
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    while chunk := response.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise too_big
        if time.monotonic() > deadline:
            raise AgendaError(TIMED_OUT)
        chunks.append(chunk)
    return b"".join(chunks)


# Reading the agenda -------------------------------------------------------------------


def import_window(now):
    """From a day ago to the longest horizon a young person can book (at most 400 days)."""
    longest = Format.objects.filter(active=True).aggregate(Max("horizon_days"))
    days = min(longest["horizon_days__max"] or 0, LONGEST_WINDOW_DAYS)
    return now - timedelta(days=1), now + timedelta(days=days)


def busy_intervals(body, *, start, end):
    """The busy (start, end) UTC intervals of an iCalendar file between start and end,
    merged. Raises AgendaError when `body` is not a calendar."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except ValueError as error:
        raise AgendaError(NOT_A_CALENDAR) from error
    if calendar.name != "VCALENDAR":
        raise AgendaError(NOT_A_CALENDAR)
    calendar.subcomponents = [part for part in calendar.subcomponents if not _runs_away(part)]
    # recurring-ical-events applies EXDATE, moved or cancelled occurrences (RECURRENCE-ID)
    # and each event's own VTIMEZONE (Outlook's "Romance Standard Time" included); a
    # broken series is left out rather than losing the whole agenda.
    occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end)
    local_tz = timezone.get_default_timezone()
    intervals = []
    for event in occurrences:
        if not counts_as_busy(event):
            continue
        interval = _as_utc(event.start, local_tz), _as_utc(event.end, local_tz)
        if interval[0] < interval[1]:
            intervals.append(interval)
    return merged(intervals)


def _runs_away(component):
    rules = component.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        if RUNAWAY_FREQUENCIES.intersection(str(freq).upper() for freq in rule.get("FREQ", [])):
            return True
    return False


def counts_as_busy(event):
    """Shown as free, cancelled, or one of our own appointments coming back through a
    counsellor's subscription to our feed: not busy (our own are already counted)."""
    if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
        return False
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return False
    return not is_own_uid(event.get("UID", ""))


def _as_utc(moment, local_tz):
    """Whole days and floating times are the structure's wall clock (Europe/Paris)."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, clock_time(), tzinfo=local_tz)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_tz)
    return moment.astimezone(UTC)


def merged(intervals):
    result = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


# Refreshing ---------------------------------------------------------------------------


def refresh(calendar, *, now=None, fetch=None):
    """Read the agenda and replace its busy times; True on success. Never raises.

    A 304 answer re-reads the last good copy, so recurring events keep being expanded
    as the window moves on. `fetch` replaces the network in tests."""
    now = now or timezone.now()
    fetch = fetch or fetch_calendar
    has_copy = bool(calendar.last_good_copy)
    try:
        fetched = fetch(
            calendar.url,
            etag=calendar.etag if has_copy else "",
            last_modified=calendar.http_last_modified if has_copy else "",
        )
        if fetched.body is None:
            text = calendar.last_good_copy
        else:
            text = fetched.body.decode("utf-8", errors="replace")
        start, end = import_window(now)
        intervals = busy_intervals(text, start=start, end=end)
        _store_success(calendar, now, intervals, text, fetched)
    except AgendaError as error:
        logger.warning(
            "External agenda %s (host %s) not read: %s",
            calendar.pk,
            masked(calendar.url),
            error.text(),
        )
        _store_failure(calendar, now, error)
        return False
    except Exception:
        logger.exception("External agenda %s (host %s) not read", calendar.pk, masked(calendar.url))
        _store_failure(calendar, now, AgendaError(UNREADABLE))
        return False
    return True


def _store_success(calendar, now, intervals, text, fetched):
    with transaction.atomic():
        ExternalBusyTime.objects.filter(calendar=calendar).delete()
        ExternalBusyTime.objects.bulk_create(
            ExternalBusyTime(calendar=calendar, start=start, end=end) for start, end in intervals
        )
        calendar.last_attempt_at = calendar.last_success_at = now
        calendar.last_error = ""
        calendar.consecutive_failures = 0
        calendar.last_good_copy = text
        calendar.etag = fetched.etag[:255]
        calendar.http_last_modified = fetched.last_modified[:100]
        calendar.save(
            update_fields=[
                "last_attempt_at",
                "last_success_at",
                "last_error",
                "consecutive_failures",
                "last_good_copy",
                "etag",
                "http_last_modified",
            ]
        )


def _store_failure(calendar, now, error):
    """The busy times and the copy stay as they were: an old agenda beats none."""
    with translation.override(settings.LANGUAGE_CODE):
        calendar.last_error = error.text()
    calendar.last_attempt_at = now
    calendar.consecutive_failures += 1
    calendar.save(update_fields=["last_attempt_at", "last_error", "consecutive_failures"])


def refresh_all(*, now=None, counsellor_slug=None, fetch=None):
    """The agendas of counsellors open to booking (or one counsellor's, whatever their
    state), each on its own; returns (read, failed). Nobody can book an inactive
    counsellor, so reading their agenda would only fetch a secret for nothing."""
    calendars = ExternalCalendar.objects.select_related("counsellor").order_by("pk")
    if counsellor_slug:
        calendars = calendars.filter(counsellor__slug=counsellor_slug)
    else:
        calendars = calendars.filter(counsellor__active=True)
    results = [refresh(calendar, now=now, fetch=fetch) for calendar in calendars]
    return results.count(True), results.count(False)


@task()
def refresh_external_calendar(calendar_id):
    calendar = ExternalCalendar.objects.filter(pk=calendar_id).first()
    return calendar is not None and refresh(calendar)


def refresh_soon(calendar):
    """Read a new or changed address once the save is committed; a queue that refuses
    the task leaves it to the periodic command, and the save still succeeds."""
    transaction.on_commit(lambda: refresh_external_calendar.enqueue(calendar.pk), robust=True)
