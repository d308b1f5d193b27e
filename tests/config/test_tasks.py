"""Production's task queue (django-tasks-db): a booking request only queues its e-mail,
and `manage.py db_worker` sends it; Wagtail's search index is updated by the worker too.
"""

import email
import io
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from booking.models import Booking, Notification
from tests.config.support import book_through_api
from tests.home.factories import StandardPageFactory

# Real commits, as in production; the rows of the migrations (groups, locale) restored.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS = False


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def test_the_booking_request_only_queues_its_email(client, samira, smtp_inbox):
    response = book_through_api(client)

    assert response.status_code == 201
    assert Booking.objects.count() == 1
    assert smtp_inbox.envelopes == [], "no SMTP conversation inside the booking request"
    assert Notification.objects.get().status == Notification.Status.PENDING
    assert DBTaskResult.objects.ready().filter(task_path__endswith="send_notification").count() == 1


def test_the_worker_delivers_it_to_the_mail_server(client, samira, smtp_inbox):
    book_through_api(client)

    run_worker()

    assert [envelope.rcpt_tos for envelope in smtp_inbox.envelopes] == [["lea@example.org"]]
    message = email.message_from_bytes(smtp_inbox.envelopes[0].content)
    assert "confirmé" in str(make_header(decode_header(message["Subject"])))
    invitation = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert [part.get_param("method") for part in invitation] == ["REQUEST"]
    assert Notification.objects.get().status == Notification.Status.SENT
    assert not DBTaskResult.objects.ready().exists()


def test_search_finds_a_new_page_once_the_worker_has_indexed_it(home):
    StandardPageFactory(parent=home, title="Atelier zygomatique")

    assert not Page.objects.live().search("zygomatique")

    run_worker()

    assert [page.title for page in Page.objects.live().search("zygomatique")] == [
        "Atelier zygomatique"
    ]
