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
and size and the whole time of the read are limited. The secret address is never logged,
only its host.

The file is written by anyone, so reading it is bounded too: a few hundred bytes of
RRULE can ask for millions of occurrences. Each event and the whole agenda have a
ceiling of occurrences and the expansion a time budget; an event that cannot be read or
repeats beyond its ceiling is left out and counted, an agenda beyond its budget keeps
its last good busy times.
"""

import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from urllib.parse import urljoin, urlsplit, urlunsplit

import icalendar
import recurring_ical_events
from dateutil.rrule import rrule
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from recurring_ical_events.adapters.event import EventAdapter
from recurring_ical_events.selection.name import ComponentsWithName
from recurring_ical_events.series import Series

from booking.models import ExternalBusyTime, ExternalCalendar, Format

from .ics import is_own_uid, own_domains

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
# What calendar apps call their subscription links; the same file over HTTPS.
WEBCAL_SCHEMES = ("webcal", "webcals")
MAX_REDIRECTS = 3
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# Each network wait is limited by the timeout setting, the whole read (connection,
# headers, body, redirects) by this many times it.
WHOLE_FETCH_TIMEOUTS = 3
CHUNK_BYTES = 64 * 1024
# Busy times are read from a day ago to the longest booking horizon, at most this far.
LONGEST_WINDOW_DAYS = 400
# No agenda app repeats events this often; such a rule would only spend the time budget
# (a million occurrences), so it is left out before expanding anything.
RUNAWAY_FREQUENCIES = {"SECONDLY", "MINUTELY"}
# IPv6 forms that carry an IPv4 address no agenda server uses, through which a relay
# could reach a private one: IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d,
# local-use NAT64 and 6to4. They are refused whatever the IPv4 inside.
REFUSED_IPV6_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in ("::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "2002::/16")
)
# The well-known NAT64 prefix is how an IPv6-only server with DNS64 reaches every IPv4
# agenda, so it is judged by the IPv4 address in its last 32 bits.
NAT64_NETWORK = ipaddress.ip_network("64:ff9b::/96")
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
TOO_LONG = _(
    "Your agenda has too many repeating events to be read in %(seconds)s seconds. Your "
    "busy times from the last good read are kept. Remove or end the events that repeat "
    "very often (every hour or more), then read it again."
)
TOO_MANY = _(
    "Your agenda has more than %(count)s events in the coming months, the most we read. "
    "Your busy times from the last good read are kept. Remove the events that repeat very "
    "often, or publish only your work agenda, then read it again."
)


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
    """Public unicast addresses only, plus the networks the site explicitly allows. An
    IPv6 address carrying an IPv4 one is judged by it (Python calls 64:ff9b::7f00:1,
    NAT64 for 127.0.0.1, global), or refused when it is a form nobody serves from."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    allowed_networks = settings.BOOKING_EXTERNAL_CALENDAR_ALLOWED_NETWORKS
    if any(ip in ipaddress.ip_network(network) for network in allowed_networks):
        return True
    if ip.version == 6 and ip in NAT64_NETWORK:
        return is_allowed_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.version == 6 and any(ip in network for network in REFUSED_IPV6_NETWORKS):
        return False
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


class _Deadline:
    """The end of the whole read. Socket timeouts only limit each wait, so a server
    sending a byte every few seconds, in the headers or the body, would hold the worker
    for minutes; at the deadline a timer shuts the open connection, which ends the read
    under way, and `expired` tells the reader its bytes are not the whole agenda."""

    def __init__(self, seconds):
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sock = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()

    def remaining(self):
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def watch(self, sock):
        with self._lock:
            self._sock = sock
            if self.expired:
                self._shut()

    def release(self):
        """Before the socket is closed: its number could then belong to another one."""
        with self._lock:
            self._sock = None

    def _expire(self):
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self):
        if self._sock is not None:
            try:
                # The plain socket's shutdown, also under TLS: it ends a read blocked in
                # another thread without touching the TLS state that read is using.
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the other side


def _connect_to_first(addresses, port, timeout, deadline):
    error = None
    for address in addresses:
        try:
            sock = socket.create_connection((address, port), min(timeout, deadline.remaining()))
        except OSError as failure:
            error = failure
        else:
            deadline.watch(sock)
            return sock
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted addresses; the Host header still names the site."""

    def __init__(self, host, port, *, addresses, timeout, deadline):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses
        self.deadline = deadline

    def connect(self):
        self.sock = _connect_to_first(self.addresses, self.port, self.timeout, self.deadline)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the vetted addresses; SNI and certificate checks use the host name."""

    def __init__(self, host, port, *, addresses, timeout, deadline):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses
        self.deadline = deadline
        self.tls = ssl.create_default_context()

    def connect(self):
        sock = _connect_to_first(self.addresses, self.port, self.timeout, self.deadline)
        # The handshake is a read too: the deadline watches the TLS socket before it.
        self.sock = self.tls.wrap_socket(
            sock, server_hostname=self.host, do_handshake_on_connect=False
        )
        self.deadline.watch(self.sock)
        self.sock.do_handshake()


# Fetching -----------------------------------------------------------------------------


def fetch_calendar(url, *, etag="", last_modified=""):
    """GET the agenda with the guards described above; conditional when `etag` or
    `last_modified` come from the last good read. Raises AgendaError."""
    timeout = settings.BOOKING_EXTERNAL_CALENDAR_TIMEOUT
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    url = normalise_url(url)
    with _Deadline(timeout * WHOLE_FETCH_TIMEOUTS) as deadline:
        for _redirect in range(MAX_REDIRECTS + 1):
            connection = _connection(url, timeout, deadline)
            try:
                fetched = _exchange(connection, url, headers, deadline)
            except (OSError, ValueError, http.client.HTTPException) as error:
                raise _network_error(error, deadline) from error
            finally:
                deadline.release()
                connection.close()
            if isinstance(fetched, Fetched):
                return fetched
            url = fetched
    raise AgendaError(TOO_MANY_REDIRECTS)


def _connection(url, timeout, deadline):
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise AgendaError(SCHEME_REFUSED) from error
    addresses = vetted_addresses(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    return connection_class(
        parts.hostname, port, addresses=addresses, timeout=timeout, deadline=deadline
    )


def _exchange(connection, url, headers, deadline):
    """The agenda (Fetched) or the address it redirects to."""
    parts = urlsplit(url)
    connection.request(
        "GET", urlunsplit(("", "", parts.path or "/", parts.query, "")), headers=headers
    )
    response = connection.getresponse()
    location = response.getheader("Location")
    if response.status in REDIRECT_STATUSES and location:
        return _redirect_target(url, location)
    if response.status == 304:
        return Fetched(None, headers.get("If-None-Match", ""), headers.get("If-Modified-Since", ""))
    if response.status != 200:
        raise AgendaError(ERROR_STATUS, status=response.status)
    body = _read_limited(response)
    if deadline.expired:  # the body ended because the timer shut the connection
        raise TimeoutError
    return Fetched(body, response.getheader("ETag", ""), response.getheader("Last-Modified", ""))


def _network_error(error, deadline):
    if deadline.expired or isinstance(error, TimeoutError):
        return AgendaError(TIMED_OUT)
    if isinstance(error, ssl.SSLCertVerificationError):
        return AgendaError(BAD_CERTIFICATE)
    return AgendaError(UNREACHABLE)


def _redirect_target(current, location):
    """The next address, checked like the first; never from https down to http."""
    target = normalise_url(urljoin(current, location))
    if urlsplit(current).scheme == "https" and urlsplit(target).scheme != "https":
        raise AgendaError(SCHEME_REFUSED)
    return target


def _read_limited(response):
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
        chunks.append(chunk)
    return b"".join(chunks)


# Reading the agenda -------------------------------------------------------------------


def import_window(now):
    """From a day ago to the longest horizon a young person can book (at most 400 days)."""
    longest = Format.objects.filter(active=True).aggregate(Max("horizon_days"))
    days = min(longest["horizon_days__max"] or 0, LONGEST_WINDOW_DAYS)
    return now - timedelta(days=1), now + timedelta(days=days)


@dataclass(frozen=True)
class Reading:
    """What an agenda file gave: its busy intervals, and how many events were left out
    because they could not be read or repeat beyond the ceiling (told to the counsellor)."""

    intervals: list
    skipped: int = 0


class _Budget:
    """What expanding one agenda may cost, from the settings. Exceeding the time or the
    agenda's ceiling raises AgendaError: the agenda then keeps its last good busy times."""

    def __init__(self):
        self.seconds = settings.BOOKING_EXTERNAL_CALENDAR_EXPANSION_SECONDS
        self.per_event = settings.BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES_PER_EVENT
        self.per_agenda = settings.BOOKING_EXTERNAL_CALENDAR_MAX_OCCURRENCES
        self.deadline = time.monotonic() + self.seconds
        self.occurrences = 0

    def tick(self):
        if time.monotonic() > self.deadline:
            raise AgendaError(TOO_LONG, seconds=self.seconds)

    def count(self, occurrences):
        self.occurrences += occurrences
        if self.occurrences > self.per_agenda:
            raise AgendaError(TOO_MANY, count=self.per_agenda)


class _TooManyOccurrences(Exception):
    """One event repeats beyond its ceiling: it is left out, the rest is read."""


class _BudgetedRule:
    """An rrule walked one date at a time under the budget. dateutil's `between`, which
    recurring-ical-events calls, lists (and caches) every date from DTSTART first: 602
    bytes of BYSECOND rule took 3.8 GB before the first one came back."""

    def __init__(self, rule, budget):
        self.rule = rule.replace(cache=False) if isinstance(rule, rrule) else rule
        self.until = getattr(rule, "until", None)  # set by recurring-ical-events
        self.budget = budget

    def between(self, after, before, inc=False):
        for moment in self.rule:
            self.budget.tick()
            if moment > before or (moment == before and not inc):
                return
            if moment > after or (moment == after and inc):
                yield moment


def _budgeted_events(budget):
    """recurring-ical-events' VEVENT selection, with its series' rules under `budget`."""

    class RecurrenceRules(Series.RecurrenceRules):
        def __init__(self, core):
            super().__init__(core)
            self.rrules = [_BudgetedRule(rule, budget) for rule in self.rrules]

    class BudgetedSeries(Series):
        pass

    BudgetedSeries.RecurrenceRules = RecurrenceRules
    return _Events(BudgetedSeries)


class _Events(ComponentsWithName):
    """Events grouped by UID into series as the library does, except that a series that
    cannot be built is left out and counted whatever the error (its `skip_bad_series`
    skips three kinds; a missing DTSTART or two of them still lost the whole agenda)."""

    def __init__(self, series):
        super().__init__("VEVENT", series=series)
        self.series_class = series
        self.skipped = 0

    def collect_series_from(self, source, suppress_errors):
        by_uid = defaultdict(list)
        for component in source.walk("VEVENT"):
            adapter = EventAdapter(component)
            by_uid[adapter.uid].append(adapter)
        series = []
        for components in by_uid.values():
            try:
                series.append(self.series_class(components))
            except Exception:
                self.skipped += 1
        return series


def busy_intervals(body, *, start, end, own_domains=frozenset()):
    """The busy (start, end) UTC intervals of an iCalendar file between start and end,
    merged, and the number of events left out; our own appointments (UIDs ending with
    one of `own_domains`) left out too. Raises AgendaError when `body` is not a calendar
    or is beyond the budget (which starts after parsing, bounded by the size)."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except ValueError as error:
        raise AgendaError(NOT_A_CALENDAR) from error
    if calendar.name != "VCALENDAR":
        raise AgendaError(NOT_A_CALENDAR)
    kept = [part for part in calendar.subcomponents if not _runs_away(part)]
    skipped = len(calendar.subcomponents) - len(kept)
    calendar.subcomponents = kept
    budget = _Budget()
    # recurring-ical-events applies EXDATE, moved or cancelled occurrences (RECURRENCE-ID)
    # and each event's own VTIMEZONE (Outlook's "Romance Standard Time" included).
    events = _budgeted_events(budget)
    query = recurring_ical_events.of(calendar, components=[events])
    skipped += events.skipped
    intervals = []
    for series in query.series:
        try:
            found = _busy_in_series(series, start, end, budget, own_domains)
        except AgendaError:
            raise
        except Exception:  # broken, or repeating beyond its ceiling (_TooManyOccurrences)
            skipped += 1
            continue
        intervals.extend(found)
    return Reading(merged(intervals), skipped)


def _busy_in_series(series, start, end, budget, own_domains):
    """Counted before being turned into events, the costly part (about 0.2 ms each)."""
    occurrences = []
    for occurrence in series.between(start, end):
        if len(occurrences) == budget.per_event:
            raise _TooManyOccurrences
        occurrences.append(occurrence)
    budget.count(len(occurrences))
    local_tz = timezone.get_current_timezone()
    found = []
    for occurrence in occurrences:
        budget.tick()
        event = occurrence.as_component(False)
        if counts_as_busy(event, own_domains):
            interval = _as_utc(event.start, local_tz), _as_utc(event.end, local_tz)
            if interval[0] < interval[1]:
                found.append(interval)
    return found


def _runs_away(component):
    """A rule repeating every minute or second; a rule that is not one (icalendar keeps
    what it cannot parse as text) is left to the expansion, which skips it if broken."""
    rules = component.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        frequencies = rule.get("FREQ", []) if isinstance(rule, dict) else []
        if RUNAWAY_FREQUENCIES.intersection(str(freq).upper() for freq in frequencies):
            return True
    return False


def counts_as_busy(event, own_domains):
    """Shown as free, cancelled, or one of our own appointments coming back through a
    counsellor's subscription to our feed: not busy (our own are already counted)."""
    if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
        return False
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return False
    return not is_own_uid(event.get("UID", ""), own_domains)


def _as_utc(moment, local_tz):
    """Whole days and floating times are the structure's wall clock (the active zone)."""
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
        # Whole days and floating times are the counsellor's wall clock: the zone of
        # (the first of) the structures they work for.
        structure = calendar.counsellor.structures.order_by("pk").first()
        with timezone.override(structure.zone if structure else timezone.get_default_timezone()):
            reading = busy_intervals(text, start=start, end=end, own_domains=own_domains())
        _store_success(calendar, now, reading, text, fetched)
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


def _store_success(calendar, now, reading, text, fetched):
    with transaction.atomic():
        ExternalBusyTime.objects.filter(calendar=calendar).delete()
        ExternalBusyTime.objects.bulk_create(
            ExternalBusyTime(calendar=calendar, start=start, end=end)
            for start, end in reading.intervals
        )
        calendar.last_attempt_at = calendar.last_success_at = now
        calendar.last_error = ""
        calendar.consecutive_failures = 0
        calendar.skipped_events = reading.skipped
        calendar.last_good_copy = text
        calendar.etag = fetched.etag[:255]
        calendar.http_last_modified = fetched.last_modified[:100]
        calendar.save(
            update_fields=[
                "last_attempt_at",
                "last_success_at",
                "last_error",
                "consecutive_failures",
                "skipped_events",
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


def enqueue_refresh(calendar):
    """Queue a read of the agenda for the task worker (the TASKS backend): reading can
    take up to the whole fetch deadline plus the expansion budget, too long to hold an
    admin request. Returns the task result, or None when the queue refuses it: the
    periodic command reads the agenda then, and what the counsellor did still stands."""
    try:
        return refresh_external_calendar.enqueue(calendar.pk)
    except Exception:
        logger.exception("External agenda %s: read not queued", calendar.pk)
        return None


def refresh_soon(calendar):
    """Read a new or changed address once the save is committed."""
    transaction.on_commit(lambda: enqueue_refresh(calendar))
