"""Events as calendar files: what Thunderbird's parser (ical.js) and recurring-ical-events
read in them must be the dates the event page shows, on both sides of DST changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurrence
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from events import ics, occurrences
from events.models import EventOccurrence, EventPage
from tests.core.calendar_checks import assert_well_formed, parse_with_icaljs, starts_in_nodeical
from tests.events.factories import EventOccurrenceFactory, EventPageFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
WEDNESDAYS = "RRULE:FREQ=WEEKLY;BYDAY=WE"
WINDOW = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 6, 1, tzinfo=UTC))


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def utc_iso(moment):
    """How the ical.js dump writes an instant."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def widget_date(day):
    """A date as the admin widget stores it: the local midnight, in UTC."""
    return datetime.combine(day, time(), tzinfo=PARIS).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def open_day(index, rule=WEDNESDAYS, **fields):
    fields.setdefault("recurrence_from", date(2027, 1, 1))
    return EventPageFactory(
        parent=index,
        title="Portes ouvertes",
        recurrence=recurrence.deserialize(rule),
        recurrence_start_time=time(14),
        recurrence_end_time=time(17),
        **fields,
    )


def calendar_of(page):
    return ics.event_calendar(EventPage.objects.with_publication_count().get(pk=page.pk))


def checked(data, expand_until=WINDOW[1]):
    """Both parsers' views of ``data``, after the checks every file must pass."""
    return assert_well_formed(data), parse_with_icaljs(data, expand_until=expand_until)


def series(dump, page):
    (event,) = [
        event
        for event in dump["events"]
        if event["uid"] == ics.series_uid(page) and not event["recurrence_id"]
    ]
    return event


def icaljs_starts(dump):
    """Every start ical.js shows in the window: each event's own, or the days its RRULE
    gives, a moved day at its new time. RDATEs would count too (its iterator gives them,
    without DTSTART when there is no RRULE), but the files must have none: node-ical and
    libical read each VEVENT's DTSTART and RRULE only, so every other day is its own."""
    moved = {
        (event["uid"], event["recurrence_id"]): event["start"]
        for event in dump["events"]
        if event["recurrence_id"]
    }
    starts = []
    for event in dump["events"]:
        if event["is_recurring"]:
            starts += [moved.get((event["uid"], start), start) for start in event["occurrences"]]
        elif not event["recurrence_id"]:
            starts.append(event["start"])
    return sorted(start for start in starts if start < utc_iso(WINDOW[1]))


def expanded_starts(calendar):
    events = recurring_ical_events.of(calendar).between(*WINDOW)
    return sorted(utc_iso(event["DTSTART"].dt) for event in events)


def page_starts(page):
    page = EventPage.objects.with_dates().get(pk=page.pk)
    return [utc_iso(o.start) for o in occurrences.expand(page, *WINDOW)]


def test_an_open_day_at_14h_stays_at_14h_across_both_dst_changes(index):
    page = open_day(index, recurrence_until=date(2027, 12, 31))

    calendar, dump = checked(calendar_of(page))

    event = series(dump, page)
    assert event["start_tzid"] == "Europe/Paris"
    for starts in (event["occurrences"], expanded_starts(calendar)):
        assert "2027-03-24T13:00:00.000Z" in starts  # before the last Sunday of March
        assert "2027-03-31T12:00:00.000Z" in starts  # after it
        assert "2027-10-27T12:00:00.000Z" in starts  # before the last Sunday of October
        assert "2027-11-03T13:00:00.000Z" in starts  # after it
    assert event["occurrences"] == expanded_starts(calendar) == page_starts(page)


@pytest.mark.parametrize(
    "rule",
    [
        "RRULE:FREQ=YEARLY;BYMONTH=3,6,9,12;BYDAY=1WE",  # the demo's open days
        "RRULE:FREQ=MONTHLY;BYDAY=WE;BYSETPOS=-1",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
        "RRULE:FREQ=DAILY;INTERVAL=10;COUNT=12",
        f"RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL={widget_date(date(2027, 6, 25))}",
        # Two rules and an exclusion rule: written as a list of dates.
        "RRULE:FREQ=MONTHLY;BYDAY=1MO\nRRULE:FREQ=MONTHLY;BYDAY=3TH",
        "RRULE:FREQ=WEEKLY;BYDAY=TU\nEXRULE:FREQ=MONTHLY;BYDAY=1TU",
        f"RRULE:FREQ=MONTHLY;BYMONTHDAY=1\nRDATE:{widget_date(date(2027, 5, 20))}",
    ],
)
def test_every_kind_of_rule_gives_the_same_dates_in_both_parsers_and_on_the_page(index, rule):
    page = open_day(index, rule, recurrence_from=date(2027, 1, 4))

    calendar, dump = checked(calendar_of(page))

    starts = page_starts(page)
    assert len(starts) >= 5
    assert icaljs_starts(dump) == starts
    assert expanded_starts(calendar) == starts
    assert starts_in_nodeical(calendar_of(page), *WINDOW) == starts
    assert not any("RDATE" in event for event in calendar.walk("VEVENT"))


def test_until_is_the_utc_instant_of_the_last_start(index):
    summer = open_day(index, recurrence_until=date(2027, 7, 7))  # a Wednesday, in CEST
    winter = open_day(index, WEDNESDAYS + ";COUNT=3", slug="portes-ouvertes-hiver")

    for page, until, last in [
        (summer, "UNTIL=20270707T120000Z", "2027-07-07T12:00:00.000Z"),
        (winter, "UNTIL=20270120T130000Z", "2027-01-20T13:00:00.000Z"),
    ]:
        data = calendar_of(page)
        _calendar, dump = checked(data)
        assert until.encode() in data
        assert b"COUNT=" not in data
        assert series(dump, page)["occurrences"][-1] == last


def test_an_excluded_day_is_gone_in_both_parsers(index):
    page = open_day(index, f"{WEDNESDAYS}\nEXDATE:{widget_date(date(2027, 4, 7))}")

    data = calendar_of(page)
    calendar, dump = checked(data)

    assert b"EXDATE;TZID=Europe/Paris:20270407T140000\r\n" in data
    for starts in (series(dump, page)["occurrences"], expanded_starts(calendar)):
        assert "2027-04-07T12:00:00.000Z" not in starts
        assert "2027-03-31T12:00:00.000Z" in starts
        assert "2027-04-14T12:00:00.000Z" in starts


def test_a_moved_day_appears_at_its_new_time_and_not_at_the_old_one(index):
    page = open_day(index)
    EventOccurrenceFactory(
        page=page,
        replaces_date=date(2027, 4, 14),
        start=paris(2027, 4, 15, 10),
        end=paris(2027, 4, 15, 12),
        note="Décalée au jeudi",
    )

    data = calendar_of(page)
    calendar, dump = checked(data)

    (moved,) = [event for event in dump["events"] if event["recurrence_id"]]
    assert moved["uid"] == ics.series_uid(page)
    assert moved["recurrence_id"] == "2027-04-14T12:00:00.000Z"
    assert moved["start"] == "2027-04-15T08:00:00.000Z"
    assert b"RECURRENCE-ID;TZID=Europe/Paris:20270414T140000\r\n" in data
    assert b"EXDATE" not in data
    for starts in (expanded_starts(calendar), page_starts(page)):
        assert "2027-04-15T08:00:00.000Z" in starts
        assert "2027-04-14T12:00:00.000Z" not in starts
        assert "2027-04-21T12:00:00.000Z" in starts


def test_each_day_one_rule_cannot_say_is_an_event_of_its_own_with_a_stable_uid(index):
    """Two rules (first Monday, third Thursday) and an extra date: no RDATE any client
    could misread, one VEVENT per day, named by its day so that calendars update it."""
    page = open_day(
        index,
        "RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=4\nRRULE:FREQ=MONTHLY;BYDAY=3TH;COUNT=3\n"
        f"RDATE:{widget_date(date(2027, 5, 20))}",
        recurrence_from=date(2027, 1, 4),
    )
    EventOccurrenceFactory(
        page=page,
        replaces_date=date(2027, 2, 18),
        start=paris(2027, 2, 19, 10),
        end=paris(2027, 2, 19, 12),
        note="Décalée au vendredi",
    )

    data = calendar_of(page)
    calendar, dump = checked(data)

    assert b"RDATE" not in data and b"RRULE" not in data
    starts = page_starts(page)
    assert len(starts) == 8
    assert icaljs_starts(dump) == expanded_starts(calendar) == starts
    assert starts_in_nodeical(data, *WINDOW) == starts
    by_uid = {event["uid"]: event for event in dump["events"]}
    assert len(by_uid) == len(dump["events"]) == 8
    moved = by_uid[ics.day_uid(page, date(2027, 2, 18))]
    assert (moved["start"], moved["start_tzid"]) == ("2027-02-19T09:00:00.000Z", None)
    assert "Décalée au vendredi" in moved["description"]
    assert by_uid[f"event-{page.pk}-day-20270520@{ics.site_domain(page)}"]["start"] == (
        "2027-05-20T12:00:00.000Z"
    )
    assert calendar_of(page) == data


def test_an_extra_date_before_a_rule_keeps_the_rule(index):
    page = open_day(
        index,
        f"{WEDNESDAYS};COUNT=3\nRDATE:{widget_date(date(2026, 12, 30))}",
        recurrence_from=date(2027, 1, 6),
    )

    data = calendar_of(page)
    calendar, dump = checked(data, expand_until=WINDOW[1])

    assert b"RRULE:FREQ=WEEKLY;UNTIL=20270120T130000Z;BYDAY=WE\r\n" in data
    assert b"RDATE" not in data
    (extra,) = [event for event in dump["events"] if not event["is_recurring"]]
    assert extra["uid"] == ics.day_uid(page, date(2026, 12, 30))
    assert extra["start"] == "2026-12-30T13:00:00.000Z"
    assert series(dump, page)["occurrences"] == [
        "2027-01-06T13:00:00.000Z",
        "2027-01-13T13:00:00.000Z",
        "2027-01-20T13:00:00.000Z",
    ]


def test_one_paris_time_zone_with_yearly_rules_only_when_a_date_needs_it(index):
    recurring = calendar_of(open_day(index))
    one_off = calendar_of(EventOccurrenceFactory(page__parent=index).page)

    calendar, dump = checked(recurring)
    (zone,) = calendar.walk("VTIMEZONE")
    assert dump["timezones"] == ["Europe/Paris"]
    assert b"RDATE" not in zone.to_ical()
    assert [(part.name, part["RRULE"].to_ical()) for part in zone.subcomponents] == [
        ("DAYLIGHT", b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
        ("STANDARD", b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
    ]
    assert b"DTSTART:19700329T020000\r\n" in recurring
    assert b"DTSTART:19701025T030000\r\n" in recurring

    _calendar, dump = checked(one_off)
    assert dump["timezones"] == []
    assert dump["events"][0]["start"].endswith("Z")


@pytest.mark.parametrize(
    ("key", "before", "after"),
    [
        # The United States change on the second Sunday of March, 14 March 2027, and on
        # the first of November, 7 November: 14:00 is 19:00 UTC in winter, 18:00 in summer.
        ("America/New_York", "2027-03-10T19:00:00.000Z", "2027-03-17T18:00:00.000Z"),
        ("America/New_York", "2027-11-03T18:00:00.000Z", "2027-11-10T19:00:00.000Z"),
        # La Réunion keeps UTC+4 all year: 14:00 is always 10:00 UTC.
        ("Indian/Reunion", "2027-03-24T10:00:00.000Z", "2027-03-31T10:00:00.000Z"),
        ("Indian/Reunion", "2027-10-27T10:00:00.000Z", "2027-11-03T10:00:00.000Z"),
    ],
)
def test_an_open_day_in_another_zone_stays_at_14h_there_in_every_parser(
    settings, index, key, before, after
):
    settings.TIME_ZONE = key  # the zone events.occurrences reads the hours in
    page = open_day(index, recurrence_until=date(2027, 12, 31))
    moved_day = date(2027, 6, 2)
    EventOccurrenceFactory(
        page=page,
        replaces_date=moved_day,
        start=datetime.combine(moved_day, time(9), tzinfo=ZoneInfo(key)),
        end=datetime.combine(moved_day, time(11), tzinfo=ZoneInfo(key)),
    )
    page = EventPage.objects.with_publication_count().get(pk=page.pk)
    data = ics.event_calendar(page, zone=key)

    calendar, dump = checked(data)
    assert dump["timezones"] == [key]
    assert series(dump, page)["start_tzid"] == key
    starts = page_starts(page)
    assert {before, after} <= set(starts)
    assert utc_iso(datetime.combine(moved_day, time(9), tzinfo=ZoneInfo(key))) in starts
    assert icaljs_starts(dump) == expanded_starts(calendar) == starts
    assert starts_in_nodeical(data, *WINDOW) == starts
    assert ics.event_calendar(page, zone=ZoneInfo(key)) == data


def test_a_feed_in_another_zone_defines_only_that_zone(settings, index):
    settings.TIME_ZONE = "America/Cayenne"
    open_day(index)
    pages = EventPage.objects.with_publication_count().prefetch_related("occurrences")

    data = ics.events_feed(pages, "Agenda", zone="America/Cayenne")

    _calendar, dump = checked(data)
    assert dump["timezones"] == ["America/Cayenne"]
    assert b"TZOFFSETFROM:-0300\r\nTZOFFSETTO:-0300\r\n" in data
    assert b"Europe/Paris" not in data


def test_regenerating_gives_the_same_bytes_and_stable_uids(index):
    page = open_day(index)
    row = EventOccurrenceFactory(page=page, start=paris(2027, 5, 5, 9), end=paris(2027, 5, 5, 12))

    first, again = calendar_of(page), calendar_of(page)

    assert first == again
    _calendar, dump = checked(first)
    domain = ics.site_domain(page)
    assert {event["uid"] for event in dump["events"]} == {
        f"event-{page.pk}@{domain}",
        f"event-{page.pk}-date-{row.pk}@{domain}",
    }


def test_sequence_rises_when_the_page_is_republished_with_new_dates(index):
    page = EventPage(
        title="Atelier CV",
        slug="atelier-cv",
        event_type="workshop",
        intro="Viens avec ton CV.",
        venue_name="Espace Passerelle",
        address="14 rue des Terrils\n62300 Lens",
    )
    index.add_child(instance=page)
    page.occurrences.add(EventOccurrence(start=paris(2027, 5, 5, 9), end=paris(2027, 5, 5, 12)))
    page.save_revision().publish()
    before = parse_with_icaljs(calendar_of(page))["events"][0]

    page = EventPage.objects.get(pk=page.pk)
    page.occurrences.update(start=paris(2027, 5, 6, 9), end=paris(2027, 5, 6, 12))
    page.save_revision().publish()
    data = calendar_of(page)
    _calendar, dump = checked(data)
    after = dump["events"][0]

    assert after["uid"] == before["uid"]
    assert after["start"] == "2027-05-06T07:00:00.000Z"
    assert after["sequence"] > before["sequence"]


def test_the_file_says_where_and_links_back_without_contact_details(index):
    page = EventPageFactory(
        parent=index,
        attendance_mode="hybrid",
        online_url="https://visio.example.org/salle",
        what_to_bring="Ton CV",
        contact_email="accueil@example.org",
        contact_phone="03 53 48 12 34",
    )
    EventOccurrenceFactory(page=page)

    _calendar, dump = checked(calendar_of(page))

    (event,) = dump["events"]
    assert event["summary"] == page.title
    assert "Espace Passerelle, 14 rue des Terrils, 62300 Lens" in event["location"]
    assert "https://visio.example.org/salle" in event["location"]
    assert "Ton CV" in event["description"]
    assert page.get_full_url() in event["description"]
    data = calendar_of(page).decode()
    assert "accueil@example.org" not in data and "48 12 34" not in data


# Routes ---------------------------------------------------------------------------


def feed_url(index):
    return index.url + "ical/"


def test_an_event_file_is_downloaded_and_hidden_pages_have_none(client, index):
    public = EventOccurrenceFactory(page__parent=index, page__slug="atelier-cv").page
    draft = EventOccurrenceFactory(page__parent=index, page__live=False).page
    private = EventOccurrenceFactory(page__parent=index).page
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    response = client.get(public.url + "ical/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="atelier-cv.ics"'
    _calendar, dump = checked(response.content)
    assert dump["method"] is None  # a file to save, not an invitation
    assert client.get(f"/{draft.url_path.split('/', 2)[2]}ical/").status_code == 404
    hidden = client.get(private.url + "ical/")
    assert hidden.status_code != 200 and b"VCALENDAR" not in hidden.content
    assert client.post(public.url + "ical/").status_code == 405


def test_the_feed_lists_only_upcoming_public_events_and_answers_304_when_unchanged(
    client,
    index,
):
    now = timezone.now()
    EventOccurrenceFactory(page__parent=index, page__title="À venir")
    EventOccurrenceFactory(
        page__parent=index,
        page__title="Passé",
        start=now - timedelta(days=3),
        end=now - timedelta(days=3, hours=-2),
    )
    EventOccurrenceFactory(page__parent=index, page__title="Brouillon", page__live=False)
    private = EventOccurrenceFactory(page__parent=index, page__title="Réservé").page
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    open_day(index, recurrence_from=timezone.localdate())

    response = client.get(feed_url(index))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=900"
    data = response.content
    _calendar, dump = checked(data)
    assert sorted({event["summary"] for event in dump["events"]}) == ["Portes ouvertes", "À venir"]
    assert dump["method"] is None  # a feed, not an invitation
    assert dump["calname"].endswith(index.title)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in data
    assert dump["timezones"] == ["Europe/Paris"]
    again = client.get(feed_url(index), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("count", [3, 30])
def test_the_feed_costs_the_same_queries_for_3_or_30_events(
    client,
    index,
    count,
    django_assert_max_num_queries,
):
    for _ in range(count - 1):
        EventOccurrenceFactory(page__parent=index)
    open_day(index, recurrence_from=timezone.localdate())

    # Measured: 14 for 3 events as for 30. Three are the feed's own (the pages with
    # their publication counts, view restrictions, dates); the rest route the request.
    with django_assert_max_num_queries(14):
        response = client.get(feed_url(index))

    assert len({event["uid"] for event in parse_with_icaljs(response.content)["events"]}) == count


def never_written(*args, **kwargs):
    raise AssertionError("the feed was written for a client that already has it")


def test_a_calendar_that_has_the_feed_gets_304_without_it_being_written(
    fragments_cached, index, monkeypatch, django_assert_max_num_queries
):
    EventOccurrenceFactory(page__parent=index, page__title="Atelier CV")
    first = fragments_cached.get(feed_url(index))
    assert first.status_code == 200 and b"Atelier CV" in first.content
    monkeypatch.setattr(ics, "events_feed", never_written)

    # Measured: the queries that route the request; none reads the events.
    with django_assert_max_num_queries(7):
        again = fragments_cached.get(feed_url(index), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_publishing_an_event_gives_the_feed_a_new_version_at_once(fragments_cached, index):
    EventOccurrenceFactory(page__parent=index, page__title="Atelier CV")
    first = fragments_cached.get(feed_url(index))
    added = EventOccurrenceFactory(page__parent=index, page__title="Job dating").page
    added.save_revision().publish()

    again = fragments_cached.get(feed_url(index), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert b"Job dating" in again.content and again["ETag"] != first["ETag"]


def test_an_event_whose_date_has_ended_leaves_the_feed_without_a_publish(
    fragments_cached, index, monkeypatch
):
    now = timezone.now()
    EventOccurrenceFactory(
        page__parent=index, page__title="Atelier CV", start=now, end=now + timedelta(hours=2)
    )
    EventOccurrenceFactory(page__parent=index, page__title="Job dating")
    first = fragments_cached.get(feed_url(index))
    assert b"Atelier CV" in first.content
    later = now + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    again = fragments_cached.get(feed_url(index), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert b"Atelier CV" not in again.content and b"Job dating" in again.content


def test_the_list_of_events_offers_to_subscribe(client, index):
    html = client.get(index.url).content.decode()

    https = f"http://localhost{feed_url(index)}"
    assert '<link rel="alternate" type="text/calendar" title="' in html
    assert f'href="{https}"' in html
    assert f'href="webcal://localhost{feed_url(index)}"' in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Flocalhost%2F" in html
    assert f"<code>{https}</code>" in html


# The editor -------------------------------------------------------------------------


def test_an_editor_can_move_only_a_day_of_the_recurrence(admin_client, index):
    def publish(replaced_day):
        row = {
            "start": "2027-04-15 10:00",
            "end": "2027-04-15 12:00",
            "note": "",
            "replaces_date": replaced_day,
        }
        data = {
            "title": "Portes ouvertes",
            "slug": "portes-ouvertes",
            "event_type": "open_day",
            "intro": "Viens nous voir.",
            "body": rich_text(""),
            "attendance_mode": "in_person",
            "venue_name": "Espace Passerelle",
            "address": "14 rue des Terrils\n62300 Lens",
            "recurrence": WEDNESDAYS,
            # The registration settings, as the form shows them.
            "party_size_max": "2",
            "offer_hours": "24",
            "offer_cutoff_hours": "3",
            "recurrence_from": "2027-01-01",
            "recurrence_start_time": "14:00",
            "recurrence_end_time": "17:00",
            "occurrences": inline_formset([row]),
            "action-publish": "publish",
        }
        url = reverse("wagtailadmin_pages:add", args=("events", "eventpage", index.pk))
        return admin_client.post(url, nested_form_data(data))

    refused = publish("2027-04-15")  # a Thursday: not one of the Wednesdays

    assert refused.status_code == 200
    assert gettext("This day is not one of the repeated dates.") in refused.content.decode()
    assert publish("2027-04-14").status_code == 302
    page = EventPage.objects.get(slug="portes-ouvertes")
    assert page.occurrences.get().replaces_date == date(2027, 4, 14)


# Seats left (from booking, through core.date_notes) ------------------------------------


def test_each_date_taking_registrations_says_its_seats_left_in_the_file(client, index, home):
    from tests.booking.registrations_support import open_event, register

    event = open_event(home, mode="hybrid", onsite=2, online=None)
    closed = EventOccurrenceFactory(page__parent=index, page__title="Atelier CV").page

    [date] = checked(client.get(event.url + "ical/").content)[1]["events"]
    assert "Places restantes\u00a0: 2 sur place, en ligne sans limite" in date["description"]
    [other] = checked(client.get(closed.url + "ical/").content)[1]["events"]
    assert "Places" not in other["description"]

    register(event, "Lea", party_size=2)
    [date] = checked(client.get(event.url + "ical/").content)[1]["events"]
    assert "complet sur place, en ligne sans limite" in date["description"]


def test_a_full_date_says_so_in_the_feed_and_a_seat_taken_renews_its_version(
    fragments_cached, index, home
):
    from tests.booking.registrations_support import open_event, register

    event = open_event(home, onsite=1)
    first = fragments_cached.get(feed_url(index))
    assert "Places restantes\u00a0: 1 sur place" in first.content.decode()
    unchanged = fragments_cached.get(feed_url(index), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304

    register(event, "Lea")
    again = fragments_cached.get(feed_url(index), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    [date] = checked(again.content)[1]["events"]
    assert "Complet — liste d’attente" in date["description"]
