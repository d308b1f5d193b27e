"""The admin's history: a counsellor reads the history of their own rows only, in the
site history as on each row's history page; managers read everyone's."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from booking.models import Absence, CounsellorLogEntry

from ..factories import BookingFactory

SITE_HISTORY = reverse("wagtailadmin_reports:site_history")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def add_absence(client, start):
    page = reverse("wagtailsnippets_booking_absence:add")
    data = {"start": f"{start} 09:00", "end": f"{start} 18:00"}
    assert client.post(page, data).status_code == 302


def listed(client, page=SITE_HISTORY):
    """(action, label) of each entry the page lists."""
    response = client.get(page)
    assert response.status_code == 200
    return {(entry.action, entry.label) for entry in response.context["object_list"]}


@pytest.fixture
def julien_s_day(julien):
    """Julien records an absence and cancels a booking, through the admin."""
    julien_client = signed_in(julien.user)
    add_absence(julien_client, "2027-02-01")
    booking = BookingFactory(counsellor=julien, start=timezone.now() + timedelta(days=2))
    cancel = reverse("wagtailsnippets_booking_booking:cancel", args=[booking.pk])
    assert julien_client.post(cancel, {"message": ""}).status_code == 302
    return {("wagtail.create", str(Absence.objects.get())), ("booking.cancel", str(booking))}


def test_the_site_history_shows_a_counsellor_only_their_own_rows(samira_client, julien_s_day):
    add_absence(samira_client, "2027-03-01")
    mine = ("wagtail.create", str(Absence.objects.get(counsellor__slug="samira")))

    seen = listed(samira_client)

    assert mine in seen
    assert not seen & julien_s_day


def test_the_site_history_names_no_colleague(samira_client, samira, julien_s_day):
    add_absence(samira_client, "2027-03-01")

    page = samira_client.get(SITE_HISTORY).content.decode()

    assert samira.user.username in page, "the user filter lists who wrote the entries"
    assert julien_s_day and "julien" not in page.lower()


def test_managers_and_the_counsellor_see_the_whole_story(manager_client, julien, julien_s_day):
    assert julien_s_day <= listed(manager_client)
    assert julien_s_day <= listed(signed_in(julien.user))


def test_a_deleted_absence_stays_out_of_colleagues_history(samira_client, julien, julien_s_day):
    absence = Absence.objects.get()
    delete = reverse("wagtailsnippets_booking_absence:delete", args=[absence.pk])
    assert signed_in(julien.user).post(delete).status_code == 302

    assert not any(label == str(absence) for _action, label in listed(samira_client))


@pytest.mark.parametrize("view", ["history", "history_results"])
def test_a_colleague_s_row_history_is_not_found(samira_client, julien_s_day, view):
    absence = Absence.objects.get()

    page = reverse(f"wagtailsnippets_booking_absence:{view}", args=[absence.pk])

    assert samira_client.get(page).status_code == 404


def test_a_row_s_history_page_lists_its_entries(samira_client, samira):
    add_absence(samira_client, "2027-03-01")
    absence = Absence.objects.get()

    history = reverse("wagtailsnippets_booking_absence:history", args=[absence.pk])

    assert ("wagtail.create", str(absence)) in listed(samira_client, history)


def test_entries_wagtail_already_logged_move_with_their_counsellor(julien):
    start = timezone.now() + timedelta(days=3)
    absence = Absence.objects.create(counsellor=julien, start=start, end=start + timedelta(hours=2))
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Absence),
        object_id=str(absence.pk),
        label=str(absence),
        action="wagtail.create",
        timestamp=timezone.now(),
    )
    migration = import_module("booking.migrations.0010_counsellor_log_entry")

    migration.move_to_own_table(apps, None)

    assert not ModelLogEntry.objects.exists()
    assert CounsellorLogEntry.objects.get().counsellor == julien
