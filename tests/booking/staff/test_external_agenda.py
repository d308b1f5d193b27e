"""A counsellor pastes the secret address of their own agenda in the admin and sees
whether it is read; nobody sees anyone else's, and the list never shows the secret."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django_tasks import default_task_backend

from booking.calendars import agenda_import
from booking.calendars.agenda_import import AgendaError, Fetched
from booking.models import ExternalCalendar
from booking.staff.external_agenda import NOT_QUEUED, QUEUED, reading_status

SAMIRA_SECRET = "https://outlook.office365.com/owa/calendar/4f1e@ml.fr/s3cr3t-s4m1r4/calendar.ics"
JULIEN_SECRET = "https://calendar.google.com/calendar/ical/julien/private-j7l13n/basic.ics"
AGENDA = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\nEND:VCALENDAR\r\n"


def agenda_with(*events):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//EN", *events, "END:VCALENDAR"]
    return "\r\n".join(lines).encode()


def url(view, *args):
    return reverse(f"wagtailsnippets_booking_externalcalendar:{view}", args=args)


def in_french(message):
    with translation.override("fr"):
        return escape(str(message))


@pytest.fixture
def task_queue(settings):
    """A queue that keeps the tasks and runs none, like the worker not having run yet."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def agenda_server(monkeypatch):
    """Every agenda address answers an empty agenda; the requested URLs are kept."""
    requested = []

    def fetch(url, **conditions):
        requested.append(url)
        return Fetched(AGENDA)

    monkeypatch.setattr(agenda_import, "fetch_calendar", fetch)
    return requested


def test_a_counsellor_sees_only_their_own_agenda_and_never_its_secret_address(
    samira_client, samira, julien
):
    ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET)
    theirs = ExternalCalendar.objects.create(counsellor=julien, url=JULIEN_SECRET)

    page = samira_client.get(url("list")).content.decode()

    assert "outlook.office365.com" in page
    assert "s3cr3t-s4m1r4" not in page
    assert "calendar.google.com" not in page and "Julien" not in page
    assert samira_client.get(url("edit", theirs.pk)).status_code == 404


def test_a_failing_agenda_says_why_on_the_list(samira_client, samira):
    ExternalCalendar.objects.create(
        counsellor=samira,
        url=SAMIRA_SECRET,
        consecutive_failures=3,
        last_error=in_french(agenda_import.TIMED_OUT),
    )
    assert in_french(agenda_import.TIMED_OUT) in samira_client.get(url("list")).content.decode()


def test_a_pasted_webcal_address_is_saved_and_read_at_once(
    samira_client, samira, agenda_server, django_capture_on_commit_callbacks
):
    webcal = SAMIRA_SECRET.replace("https://", "webcal://")
    with django_capture_on_commit_callbacks(execute=True):
        response = samira_client.post(url("add"), {"url": webcal})

    assert response.status_code == 302
    calendar = ExternalCalendar.objects.get(counsellor=samira)
    assert calendar.url == SAMIRA_SECRET
    assert agenda_server == [SAMIRA_SECRET]
    assert calendar.last_success_at is not None


def test_a_changed_address_is_read_without_the_old_ones_validators(
    samira_client, samira, agenda_server, django_capture_on_commit_callbacks
):
    calendar = ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET, etag='"old"')
    new_address = SAMIRA_SECRET.replace("s3cr3t", "n3w")
    with django_capture_on_commit_callbacks(execute=True):
        samira_client.post(url("edit", calendar.pk), {"url": new_address})

    calendar.refresh_from_db()
    assert agenda_server == [new_address]
    assert calendar.etag == ""


def test_an_agenda_that_cannot_be_read_does_not_stop_the_save(
    samira_client, samira, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(url, **conditions):
        raise AgendaError(agenda_import.UNREACHABLE)

    monkeypatch.setattr(agenda_import, "fetch_calendar", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = samira_client.post(url("add"), {"url": SAMIRA_SECRET})

    assert response.status_code == 302
    assert (
        samira_client.get(url("list")).content.decode().count(in_french(agenda_import.UNREACHABLE))
    )


def test_a_task_queue_that_is_down_does_not_stop_the_save(
    samira_client, samira, monkeypatch, django_capture_on_commit_callbacks
):
    def queue_down(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(
        agenda_import, "refresh_external_calendar", SimpleNamespace(enqueue=queue_down)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = samira_client.post(url("add"), {"url": SAMIRA_SECRET})

    assert response.status_code == 302
    assert ExternalCalendar.objects.filter(counsellor=samira).exists()


@pytest.mark.parametrize(
    "address", ["ftp://files.example.org/agenda.ics", "file:///etc/passwd", "javascript:x"]
)
def test_only_web_addresses_can_be_saved(samira_client, samira, address):
    response = samira_client.post(url("add"), {"url": address})

    assert response.status_code == 200
    assert in_french(agenda_import.SCHEME_REFUSED) in response.content.decode()
    assert not ExternalCalendar.objects.exists()


def test_a_counsellor_has_one_external_agenda(samira_client, samira):
    ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET)

    response = samira_client.post(url("add"), {"url": JULIEN_SECRET})

    assert response.status_code == 200
    assert ExternalCalendar.objects.get().url == SAMIRA_SECRET


def test_a_counsellor_can_read_their_agenda_now_from_the_list(samira_client, samira, agenda_server):
    calendar = ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET)
    read_now = url("read_now", calendar.pk)
    assert read_now in samira_client.get(url("list")).content.decode()
    assert samira_client.get(read_now).status_code == 200  # asks first: a link is not an act
    assert agenda_server == []

    response = samira_client.post(read_now, follow=True)

    assert agenda_server == [SAMIRA_SECRET]
    calendar.refresh_from_db()
    assert calendar.last_success_at is not None
    assert response.redirect_chain[-1][0] == url("list")


def test_reading_now_shows_why_it_failed(samira_client, samira, monkeypatch):
    def broken(url, **conditions):
        raise AgendaError(agenda_import.UNREACHABLE)

    monkeypatch.setattr(agenda_import, "fetch_calendar", broken)
    calendar = ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET)

    response = samira_client.post(url("read_now", calendar.pk), follow=True)

    assert in_french(agenda_import.UNREACHABLE) in response.content.decode()
    calendar.refresh_from_db()
    assert calendar.consecutive_failures == 1


def test_nobody_reads_someone_elses_agenda(samira_client, julien, agenda_server):
    theirs = ExternalCalendar.objects.create(counsellor=julien, url=JULIEN_SECRET)

    assert samira_client.get(url("read_now", theirs.pk)).status_code == 404
    assert samira_client.post(url("read_now", theirs.pk)).status_code == 404
    assert agenda_server == []


# Reading in the task worker ------------------------------------------------------------


def test_reading_now_only_queues_the_read_and_says_it_is_on_its_way(
    samira_client, samira, agenda_server, task_queue
):
    calendar = ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET)

    response = samira_client.post(url("read_now", calendar.pk), follow=True)

    assert agenda_server == []  # nothing fetched during the request
    [queued] = task_queue.results
    assert queued.task.func is agenda_import.refresh_external_calendar.func
    assert queued.args == [calendar.pk]
    assert in_french(QUEUED) in response.content.decode()


def test_saving_the_address_only_queues_the_read(
    samira_client, samira, agenda_server, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        samira_client.post(url("add"), {"url": SAMIRA_SECRET})

    assert agenda_server == []
    calendar = ExternalCalendar.objects.get(counsellor=samira)
    assert [result.args for result in task_queue.results] == [[calendar.pk]]
    assert calendar.last_attempt_at is None


def test_a_queue_that_is_down_says_the_read_waits_for_the_next_automatic_one(
    samira_client, samira, monkeypatch
):
    def queue_down(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(
        agenda_import, "refresh_external_calendar", SimpleNamespace(enqueue=queue_down)
    )
    calendar = ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET)

    response = samira_client.post(url("read_now", calendar.pk), follow=True)

    assert in_french(NOT_QUEUED) in response.content.decode()


def test_the_result_of_the_read_shows_on_the_list(samira_client, samira, individuel, monkeypatch):
    """With the Immediate backend (tests, development) the task has run by the time the
    list is shown: busy times to come and the event left out are on it."""
    tomorrow = (timezone.now() + timedelta(days=1)).strftime("%Y%m%dT090000Z")
    agenda = agenda_with(
        f"BEGIN:VEVENT\r\nUID:real\r\nDTSTART:{tomorrow}\r\nDURATION:PT1H\r\nEND:VEVENT",
        "BEGIN:VEVENT\r\nUID:no-start\r\nDTEND:20260317T100000Z\r\nEND:VEVENT",
    )
    monkeypatch.setattr(agenda_import, "fetch_calendar", lambda url, **conditions: Fetched(agenda))
    calendar = ExternalCalendar.objects.create(counsellor=samira, url=SAMIRA_SECRET)

    samira_client.post(url("read_now", calendar.pk))
    page = samira_client.get(url("list")).content.decode()

    calendar.refresh_from_db()
    assert calendar.busy_times.count() == 1 and calendar.skipped_events == 1
    with translation.override("fr"):
        left_out = escape(reading_status(calendar))
    assert "1 " in left_out and left_out in page
