"""The staff side: counsellors manage only their own rows, managers everything; bookings are
read-only and change through the actions, which call booking.services."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import (
    Absence,
    AvailabilityRule,
    Booking,
    Closure,
    Counsellor,
    GroupSession,
    Place,
    YoungPerson,
)
from booking.scheduling.loading import find_slots
from booking.services.signals import Change, booking_changed
from booking.staff.bookings import BookingFilterSet
from structures.models import Structure

from ..factories import BookingFactory, UserFactory, paris, set_seats_booked


def url(model, view, *args):
    return reverse(f"wagtailsnippets_booking_{model}:{view}", args=args)


def denied(response):
    """Wagtail answers a refused admin page with a redirect to the dashboard and a message."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


@pytest.fixture
def soon():
    """Tomorrow 10:00 in Paris."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return paris(f"{tomorrow} 10:00")


@pytest.fixture
def yesterday(soon):
    """Yesterday 10:00 in Paris: the same today as soon's, even at midnight."""
    return soon - timedelta(days=2)


# Seeing only one's own rows ---------------------------------------------------------


def test_a_counsellor_lists_only_their_own_bookings(samira_client, samira, julien, soon):
    BookingFactory(counsellor=samira, start=soon, young_person__first_name="Léa")
    BookingFactory(counsellor=julien, start=soon, young_person__first_name="Noah")

    response = samira_client.get(url("booking", "list"))

    assert response.status_code == 200
    assert "Léa" in response.content.decode()
    assert "Noah" not in response.content.decode()


@pytest.mark.parametrize("view", ["inspect", "edit", "history", "usage"])
def test_another_counsellors_booking_is_not_found(samira_client, julien, soon, view):
    booking = BookingFactory(counsellor=julien, start=soon)
    assert samira_client.get(url("booking", view, booking.pk)).status_code == 404


@pytest.mark.parametrize("action", ["attended", "no_show", "cancel"])
def test_actions_on_another_counsellors_booking_are_not_found(
    samira_client, julien, yesterday, action
):
    booking = BookingFactory(counsellor=julien, start=yesterday)

    response = samira_client.post(url("booking", action, booking.pk), {"message": "Non"})

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


@pytest.mark.parametrize("model", ["availabilityrule", "absence", "groupsession"])
@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_counsellors_rows_are_not_found(
    samira_client, julien, make_session, soon, model, view
):
    rows = {
        "availabilityrule": julien.availability_rules.get(),
        "absence": Absence.objects.create(counsellor=julien, start=soon, end=soon + timedelta(1)),
        "groupsession": make_session(julien, f"{soon:%Y-%m-%d} 14:00"),
    }
    row = rows[model]

    assert samira_client.get(url(model, view, row.pk)).status_code == 404
    assert samira_client.post(url(model, view, row.pk)).status_code == 404
    assert type(row).objects.filter(pk=row.pk).exists()


def test_another_counsellors_rows_are_left_out_of_bulk_deletion(samira_client, samira, julien):
    theirs, mine = julien.availability_rules.get(), samira.availability_rules.get()
    bulk = (
        reverse("wagtail_bulk_action", args=("booking", "availabilityrule", "delete"))
        + f"?id={theirs.pk}&id={mine.pk}"
    )

    samira_client.post(bulk)

    assert AvailabilityRule.objects.filter(pk=theirs.pk).exists()
    assert not AvailabilityRule.objects.filter(pk=mine.pk).exists()


def bulk_delete(model, *rows):
    page = reverse("wagtail_bulk_action", args=("booking", model, "delete"))
    return page + "?" + "&".join(f"id={row.pk}" for row in rows)


def test_bulk_pages_name_only_the_rows_the_listing_shows(samira_client, samira, julien, soon):
    theirs = Absence.objects.create(counsellor=julien, start=soon, end=soon + timedelta(hours=3))
    mine = Absence.objects.create(counsellor=samira, start=soon, end=soon + timedelta(hours=2))
    their_booking = BookingFactory(counsellor=julien, start=soon, young_person__first_name="Noah")

    response = samira_client.get(bulk_delete("absence", theirs, mine))

    assert [item["item"] for item in response.context["items"]] == [mine]
    assert response.context["items_with_no_access"] == []
    assert str(theirs) not in response.content.decode()
    assert samira_client.get(bulk_delete("booking", their_booking)).status_code == 404


def test_editors_see_no_appointments_on_bulk_pages(client, julien, soon):
    client.force_login(UserFactory(username="editrice", groups=["Éditeurs"]))
    absence = Absence.objects.create(counsellor=julien, start=soon, end=soon + timedelta(hours=3))
    booking = BookingFactory(counsellor=julien, start=soon, young_person__first_name="Noah")

    for model, row in [("absence", absence), ("booking", booking)]:
        response = client.get(bulk_delete(model, row))
        assert response.status_code == 404
        assert str(row) not in response.content.decode()
        assert client.post(bulk_delete(model, row)).status_code == 404
    assert Absence.objects.filter(pk=absence.pk).exists()


def test_a_manager_bulk_deletes_any_counsellors_absence(manager_client, samira, julien, soon):
    absences = [
        Absence.objects.create(counsellor=who, start=soon, end=soon + timedelta(hours=1))
        for who in (samira, julien)
    ]

    manager_client.post(bulk_delete("absence", *absences))

    assert not Absence.objects.exists()


def test_counsellors_rows_have_no_chooser_listing_everyone(samira_client):
    for model in ["booking", "absence", "availabilityrule", "groupsession"]:
        assert samira_client.get(f"/admin/snippets/choose/booking/{model}/").status_code == 404


def test_a_counsellor_lists_only_their_own_absences(samira_client, samira, julien, soon):
    Absence.objects.create(counsellor=samira, start=soon, end=soon + timedelta(hours=2))
    Absence.objects.create(counsellor=julien, start=soon, end=soon + timedelta(hours=3))

    response = samira_client.get(url("absence", "list"))

    assert [absence.counsellor for absence in response.context["object_list"]] == [samira]


@pytest.mark.parametrize("model", ["counsellor", "format", "place", "closure"])
def test_the_structures_settings_are_for_managers(samira_client, manager_client, model):
    assert denied(samira_client.get(url(model, "list")))
    assert manager_client.get(url(model, "list")).status_code == 200


def test_staff_without_a_counsellor_row_see_no_appointments(client, db):
    client.force_login(UserFactory(username="accueil", groups=["Conseillers"]))

    assert denied(client.get(url("booking", "list")))
    assert denied(client.get(url("absence", "add")))


def test_a_manager_sees_every_counsellors_bookings(manager_client, samira, julien, soon):
    BookingFactory(counsellor=samira, start=soon, young_person__first_name="Léa")
    BookingFactory(counsellor=julien, start=soon, young_person__first_name="Noah")

    page = manager_client.get(url("booking", "list")).content.decode()

    assert "Léa" in page and "Noah" in page and "Julien" in page


# Forms for one's own rows -------------------------------------------------------------


def rule_data(place, **overrides):
    return {
        "days": ["0", "3"],
        "every": "1",
        "start_time": "14:00",
        "end_time": "17:00",
        "place": place.pk,
        "formats": [],
        "valid_from": "",
        "valid_until": "",
        **overrides,
    }


def test_a_counsellor_adds_opening_hours_that_become_slots(samira_client, samira, structure):
    samira.availability_rules.all().delete()
    add = url("availabilityrule", "add")
    assert samira_client.get(add).status_code == 200

    response = samira_client.post(add, rule_data(structure))

    assert response.status_code == 302
    assert AvailabilityRule.objects.get().counsellor == samira
    slots = find_slots(
        Structure.default(),
        now=paris("2027-01-01 08:00"),
        start=paris("2027-01-04 00:00"),
        end=paris("2027-01-11 00:00"),
    )
    starts = [timezone.localtime(slot.start) for slot in slots]
    assert {start.date() for start in starts} == {date(2027, 1, 4), date(2027, 1, 7)}
    assert min(start.time() for start in starts) == time(14)


def test_every_other_week_starts_with_the_week_of_valid_from(samira_client, samira, structure):
    samira.availability_rules.all().delete()
    monday = date(2027, 1, 4)
    data = rule_data(structure, every="2", days=["2"], valid_from="2027-01-06")

    assert samira_client.post(url("availabilityrule", "add"), data).status_code == 302

    rule = AvailabilityRule.objects.get()
    slots = find_slots(
        Structure.default(),
        now=paris("2026-12-01 08:00"),
        start=paris(f"{monday} 00:00"),
        end=paris(f"{monday + timedelta(days=28)} 00:00"),
    )
    wednesdays = sorted({timezone.localtime(slot.start).date() for slot in slots})
    assert wednesdays == [date(2027, 1, 6), date(2027, 1, 20)]
    edit = samira_client.get(url("availabilityrule", "edit", rule.pk))
    assert edit.context["form"].initial["days"] == [2]
    assert edit.context["form"].initial["every"] == 2


def test_a_counsellor_cannot_use_a_place_they_do_not_offer(samira_client, samira):
    elsewhere = Place.objects.create(
        structure=Structure.default(), kind=Place.Kind.PUBLIC_PLACE, name="Café du port"
    )

    response = samira_client.post(url("availabilityrule", "add"), rule_data(elsewhere))

    assert response.status_code == 200
    assert "place" in response.context["form"].errors
    assert "counsellor" not in response.context["form"].fields


def test_a_counsellor_cannot_hand_a_rule_to_someone_else(samira_client, samira, julien):
    rule = samira.availability_rules.get()
    data = rule_data(rule.place, counsellor=julien.pk)

    samira_client.post(url("availabilityrule", "edit", rule.pk), data)

    rule.refresh_from_db()
    assert rule.counsellor == samira


def test_an_absence_must_end_after_it_starts(samira_client, samira):
    data = {"start": "2027-01-04 14:00", "end": "2027-01-04 09:00"}

    response = samira_client.post(url("absence", "add"), data)

    assert response.context["form"].errors["end"]
    assert not Absence.objects.exists()
    data["end"] = "2027-01-05 18:00"
    assert samira_client.post(url("absence", "add"), data).status_code == 302
    assert Absence.objects.get().counsellor == samira


def test_a_manager_adds_opening_hours_for_a_counsellor(manager_client, samira, structure):
    data = rule_data(structure, counsellor=samira.pk)

    assert manager_client.post(url("availabilityrule", "add"), data).status_code == 302
    assert samira.availability_rules.count() == 2


def test_a_booked_group_sessions_time_is_fixed(samira_client, samira, collectif, make_session):
    samira.formats.add(collectif)
    session = make_session(samira, "2027-01-07 14:00")
    set_seats_booked(session, 1)

    form = samira_client.get(url("groupsession", "edit", session.pk)).context["form"]

    assert form.fields["start"].disabled and form.fields["place"].disabled
    assert not form.fields["capacity"].disabled


def test_a_new_counsellor_joins_the_counsellors_group(manager_client, django_user_model):
    user = django_user_model.objects.create(username="ines")
    data = {"user": user.pk, "first_name": "Inès", "slug": "ines", "active": "on"}
    data["told"] = "each_change"

    assert manager_client.post(url("counsellor", "add"), data).status_code == 302

    assert Counsellor.objects.get(slug="ines").user == user
    assert user.groups.filter(name="Conseillers").exists()


def test_a_manager_chooses_kinds_of_place_with_checkboxes(manager_client, individuel):
    page = manager_client.get(url("format", "edit", individuel.pk)).content.decode()
    assert 'type="checkbox" name="place_kinds" value="home"' in page


def test_what_bookings_or_opening_hours_use_cannot_be_deleted(manager_client, samira, soon):
    place = samira.places.get()
    BookingFactory(counsellor=samira, start=soon)

    for model, row in [("place", place), ("counsellor", samira)]:
        response = manager_client.post(url(model, "delete", row.pk), follow=True)
        assert response.redirect_chain[-1][0] == url(model, "list")
        assert [str(message) for message in response.context["messages"]]
        assert type(row).objects.filter(pk=row.pk).exists()


def test_a_booked_group_session_survives_bulk_deletion(samira_client, samira, make_session):
    session = make_session(samira, "2027-01-07 14:00")
    BookingFactory(group_session=session, busy_until=session.end)
    bulk = reverse("wagtail_bulk_action", args=("booking", "groupsession", "delete"))

    samira_client.post(f"{bulk}?id={session.pk}")

    assert GroupSession.objects.filter(pk=session.pk).exists()


def test_an_unused_closure_is_deleted(manager_client):
    closure = Closure.objects.create(
        structure=Structure.default(),
        label="Été",
        start_date=date(2027, 8, 1),
        end_date=date(2027, 8, 15),
    )
    assert manager_client.post(url("closure", "delete", closure.pk)).status_code == 302
    assert not Closure.objects.exists()


# Bookings: read-only, changed by the actions -----------------------------------------


def test_a_booking_is_shown_read_only_with_contact_details(samira_client, samira, soon):
    booking = BookingFactory(counsellor=samira, start=soon, message="Je cherche un apprentissage.")

    response = samira_client.get(url("booking", "edit", booking.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert booking.young_person.email in page and "apprentissage" in page
    assert 'name="start"' not in page
    samira_client.post(url("booking", "edit", booking.pk), {"start": "2030-01-01 10:00"})
    booking.refresh_from_db()
    assert booking.start == soon


def test_nobody_adds_or_deletes_bookings_in_the_admin(admin_client, samira, soon):
    booking = BookingFactory(counsellor=samira, start=soon)

    assert denied(admin_client.get(url("booking", "add")))
    assert denied(admin_client.post(url("booking", "delete", booking.pk)))
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_staff_record_that_the_person_came_or_not(samira_client, samira, yesterday):
    booking = BookingFactory(counsellor=samira, start=yesterday)
    inspect = samira_client.get(url("booking", "inspect", booking.pk)).content.decode()
    assert url("booking", "attended", booking.pk) in inspect

    assert samira_client.get(url("booking", "attended", booking.pk)).status_code == 405
    samira_client.post(url("booking", "no_show", booking.pk))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    samira_client.post(url("booking", "attended", booking.pk))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.ATTENDED
    history = samira_client.get(url("booking", "history", booking.pk))
    assert [(entry.action, entry.user) for entry in history.context["object_list"]] == [
        ("booking.attended", samira.user),
        ("booking.no_show", samira.user),
    ]


def test_an_upcoming_booking_cannot_be_marked_attended(samira_client, samira, soon):
    booking = BookingFactory(counsellor=samira, start=soon)

    response = samira_client.post(url("booking", "attended", booking.pk), follow=True)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert [str(m) for m in response.context["messages"]]


def test_staff_cancel_with_a_message_through_the_service(
    samira_client, samira, soon, django_capture_on_commit_callbacks
):
    booking = BookingFactory(counsellor=samira, start=soon)
    sent = []

    def receiver(booking, change, actor, **kwargs):
        sent.append((booking.cancellation_message, change, actor))

    booking_changed.connect(receiver)
    try:
        assert samira_client.get(url("booking", "cancel", booking.pk)).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = samira_client.post(
                url("booking", "cancel", booking.pk), {"message": "Je suis malade, désolée."}
            )
    finally:
        booking_changed.disconnect(receiver)

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_STAFF
    assert sent == [("Je suis malade, désolée.", Change.CANCELLED, "staff")]
    again = samira_client.post(url("booking", "cancel", booking.pk), {"message": ""}, follow=True)
    assert [str(m) for m in again.context["messages"]][-1]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("today", {"Aujourdhui"}),
        ("upcoming", {"Aujourdhui", "Demain"}),
        (None, {"Aujourdhui", "Demain"}),
        ("past", {"Hier"}),
        ("", {"Aujourdhui", "Demain", "Hier"}),
    ],
)
def test_bookings_are_filtered_by_day(
    samira_client, samira, soon, yesterday, monkeypatch, when, expected
):
    now = paris(f"{soon.date() - timedelta(days=1)} 12:00")
    monkeypatch.setattr(BookingFilterSet, "clock", staticmethod(lambda: now))
    later_today = now.replace(hour=23)
    BookingFactory(counsellor=samira, start=soon, young_person__first_name="Demain")
    BookingFactory(counsellor=samira, start=yesterday, young_person__first_name="Hier")
    BookingFactory(counsellor=samira, start=later_today, young_person__first_name="Aujourdhui")

    response = samira_client.get(url("booking", "list"), {} if when is None else {"when": when})

    names = {booking.young_person.first_name for booking in response.context["object_list"]}
    assert names == expected


def test_the_bookings_page_costs_the_same_for_3_or_30_bookings(
    samira_client, samira, soon, django_assert_max_num_queries
):
    def count_queries(bookings):
        for index in range(bookings):
            BookingFactory(
                counsellor=samira,
                start=soon + timedelta(days=index),
                young_person__first_name=f"P{index}",
            )
        samira_client.get(url("booking", "list"))  # the site's structure, read once, is cached
        with django_assert_max_num_queries(40) as captured:
            response = samira_client.get(url("booking", "list"), {"when": "upcoming"})
        assert response.status_code == 200
        Booking.objects.all().delete()
        YoungPerson.objects.all().delete()
        return len(captured)

    assert count_queries(3) == count_queries(30)


def test_counsellors_pages_load(samira_client, samira, soon, make_session, collectif):
    samira.formats.add(collectif)
    make_session(samira, "2027-01-07 14:00")
    Absence.objects.create(counsellor=samira, start=soon, end=soon + timedelta(hours=1))
    for model in ["availabilityrule", "absence", "groupsession"]:
        assert samira_client.get(url(model, "list")).status_code == 200
        assert samira_client.get(url(model, "add")).status_code == 200
    menu = samira_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "wagtailsnippets_booking_counsellor" not in menu


def test_an_availability_rule_time_range_is_checked(samira_client, samira, structure):
    data = rule_data(structure, start_time="17:00", end_time="09:00")
    response = samira_client.post(url("availabilityrule", "add"), data)
    assert response.context["form"].errors["end_time"]
    assert AvailabilityRule.objects.count() == 1
