"""Editors create events in the Wagtail admin, dates and repeated dates included."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events.models import EventPage

pytestmark = pytest.mark.django_db


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=("events", "eventpage", index.pk))


def event_data(occurrences=(), **overrides):
    data = {
        "title": "Journée sport et emploi",
        "slug": "journee-sport-et-emploi",
        "event_type": "sport",
        "intro": "Des matchs le matin, des recruteurs l'après-midi.",
        "body": rich_text("<p>Équipes de six, défis courts.</p>"),
        "attendance_mode": "in_person",
        "venue_name": "Salle omnisports",
        "address": "2 allée des Sports\n62300 Lens",
        "recurrence": "",
        # The registration settings, as the form shows them.
        "party_size_max": "2",
        "offer_hours": "24",
        "offer_cutoff_hours": "3",
        "occurrences": inline_formset(list(occurrences)),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_editor_loads_the_recurrence_widget_with_its_translations(admin_client, index):
    html = admin_client.get(add_url(index)).content.decode()
    catalog = reverse("events_recurrence_jsi18n")

    assert f'src="{catalog}"' in html
    assert "events/js/recurrence-admin.js" in html
    assert "recurrence/js/recurrence-widget.js" in html
    assert "/static/admin/js/" not in html  # the Django admin is not installed
    assert admin_client.get(catalog).status_code == 200


def test_an_editor_publishes_an_event_with_a_date(admin_client, index):
    date = {"start": "2027-03-04 09:30", "end": "2027-03-04 16:30", "note": ""}

    response = admin_client.post(add_url(index), event_data([date]))

    assert response.status_code == 302
    event = EventPage.objects.get(slug="journee-sport-et-emploi")
    occurrence = event.occurrences.get()
    assert event.live
    assert occurrence.start == datetime(2027, 3, 4, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


def test_an_editor_publishes_open_days_with_a_rule_and_a_cancelled_date(admin_client, index):
    rule = "RRULE:FREQ=YEARLY;BYDAY=1WE;BYMONTH=3,6,9,12\nEXDATE:20270302T230000Z"
    data = event_data(
        recurrence=rule,
        recurrence_from="2027-01-01",
        recurrence_start_time="14:00",
        recurrence_end_time="17:00",
    )

    response = admin_client.post(add_url(index), data)

    assert response.status_code == 302
    assert str(EventPage.objects.get().recurrence) == rule


def test_publishing_needs_a_date_but_a_draft_does_not(admin_client, index):
    refused = admin_client.post(add_url(index), event_data())
    draft = event_data()
    del draft["action-publish"]
    saved = admin_client.post(add_url(index), draft)

    assert refused.status_code == 200
    assert refused.context["form"].has_error(NON_FIELD_ERRORS, "no_dates")
    assert saved.status_code == 302
    assert not EventPage.objects.get().live


def test_the_rule_repeats_days_not_hours(admin_client, index):
    data = event_data(
        recurrence="RRULE:FREQ=HOURLY",
        recurrence_from="2027-01-01",
        recurrence_start_time="14:00",
        recurrence_end_time="17:00",
    )

    response = admin_client.post(add_url(index), data)

    assert response.status_code == 200
    assert response.context["form"].has_error("recurrence")


def test_the_editor_sees_which_field_is_missing(admin_client, index):
    date = {"start": "2027-03-04 17:00", "end": "2027-03-04 09:00", "note": ""}
    data = event_data([date], attendance_mode="hybrid", online_url="")

    response = admin_client.post(add_url(index), data)
    form = response.context["form"]

    assert response.status_code == 200
    assert form.has_error("online_url")
    assert form.formsets["occurrences"].forms[0].has_error("end")
