"""The registration state machine: seats, the waiting list and its offers, through
every transition, with the counters checked against the entries each time."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from booking.models import EventDate, Notification, Registration, SeatPool, ShortLink, YoungPerson
from booking.services import privacy, registrations
from booking.services.errors import (
    AlreadyRegistered,
    EventFull,
    InvalidDetails,
    InvalidTransition,
    OfferUnavailable,
    RegistrationClosed,
)
from booking.services.signals import Actor, RegistrationChange, registration_changed
from events.models import AttendanceMode, EventPage
from structures.models import Structure
from tests.events.factories import EventOccurrenceFactory

from ..registrations_support import open_event, register

Status = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def told():
    """registration_changed signals, as (first name, change)."""
    calls = []

    def receiver(sender, registration, change, **kwargs):
        calls.append((registration.young_person.first_name, change))

    registration_changed.connect(receiver)
    yield calls
    registration_changed.disconnect(receiver)


def pool_of(registration):
    pool = SeatPool.objects.get(pk=registration.pool_id)
    assert pool.seats_confirmed == sum(
        r.party_size for r in pool.registrations.filter(status=Status.CONFIRMED)
    )
    assert pool.seats_offered == sum(
        r.party_size for r in pool.registrations.filter(status=Status.OFFERED)
    )
    return pool


def status_of(registration):
    registration.refresh_from_db()
    return registration.status


def test_seats_are_confirmed_then_the_next_ones_wait_in_order(home, told):
    event = open_event(home, onsite=2)

    lea = register(event, "Lea")
    sami = register(event, "Sami")
    ines = register(event, "Ines")
    yanis = register(event, "Yanis")

    assert [lea.status, sami.status, ines.status, yanis.status] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
        Status.WAITING,
    ]
    assert [registrations.position(r) for r in (lea, ines, yanis)] == [None, 1, 2]
    assert pool_of(lea).seats_left == 0
    assert told[-1] == ("Yanis", RegistrationChange.WAITING)


def test_a_cancellation_offers_the_seat_to_the_next_in_the_same_transaction(home, told):
    event = open_event(home, onsite=1, offer_hours=24, offer_cutoff_hours=3)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    now = timezone.now()

    registrations.cancel_registration(lea, by=Actor.PERSON, now=now)

    sami.refresh_from_db()
    assert sami.status == Status.OFFERED
    assert sami.offer_expires_at == now + timedelta(hours=24)
    assert pool_of(sami).seats_offered == 1
    assert told[-2:] == [
        ("Lea", RegistrationChange.CANCELLED),
        ("Sami", RegistrationChange.OFFERED),
    ]


def test_an_offer_near_the_event_ends_at_the_cut_off_and_none_is_made_after_it(home):
    event = open_event(home, days=1, onsite=1, offer_hours=48, offer_cutoff_hours=3)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    start = EventDate.objects.get().start

    registrations.cancel_registration(lea, by=Actor.PERSON)

    sami.refresh_from_db()
    assert sami.offer_expires_at == start - timedelta(hours=3)

    # The offer expires at the cut-off; the seat then goes back to anyone, and nobody
    # on the list is offered it.
    ines = register(event, "Ines")
    yanis = register(event, "Yanis", now=start - timedelta(hours=2))
    assert status_of(sami) == Status.EXPIRED
    assert status_of(ines) == Status.WAITING
    assert yanis.status == Status.CONFIRMED


def test_after_the_cut_off_a_full_date_has_no_waiting_list(home):
    event = open_event(home, days=1, onsite=1, offer_cutoff_hours=30)
    register(event, "Lea")

    with pytest.raises(EventFull):
        register(event, "Sami")


def test_taking_an_offer_confirms_it_and_its_link_cannot_be_used_again(home, told):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    registrations.cancel_registration(lea, by=Actor.PERSON)
    sami.refresh_from_db()
    offer = sami.sequence

    registrations.accept_offer(sami, sequence=offer)

    assert status_of(sami) == Status.CONFIRMED
    assert pool_of(sami).seats_confirmed == 1
    assert told[-1] == ("Sami", RegistrationChange.CONFIRMED)
    with pytest.raises(OfferUnavailable):
        registrations.accept_offer(sami, sequence=offer)
    with pytest.raises(OfferUnavailable):
        registrations.decline_offer(sami, sequence=offer)


def test_cancelling_after_taking_an_offer_passes_the_seat_on_and_the_old_offer_stays_dead(home):
    """pretix #1163: a used offer whose registration is cancelled must not come back."""
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    ines = register(event, "Ines")
    registrations.cancel_registration(lea, by=Actor.PERSON)
    sami.refresh_from_db()
    offer = sami.sequence
    registrations.accept_offer(sami, sequence=offer)

    registrations.cancel_registration(sami, by=Actor.PERSON)

    assert status_of(ines) == Status.OFFERED
    with pytest.raises(OfferUnavailable):
        registrations.accept_offer(sami, sequence=offer)
    assert status_of(sami) == Status.CANCELLED_BY_PERSON
    assert pool_of(ines).seats_offered == 1


def test_declining_passes_the_offer_on_at_once(home, told):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    ines = register(event, "Ines")
    registrations.cancel_registration(lea, by=Actor.PERSON)
    sami.refresh_from_db()

    registrations.decline_offer(sami, sequence=sami.sequence)

    assert status_of(sami) == Status.DECLINED
    assert status_of(ines) == Status.OFFERED
    assert told[-2:] == [
        ("Sami", RegistrationChange.DECLINED),
        ("Ines", RegistrationChange.OFFERED),
    ]


def test_a_late_answer_is_refused_and_the_offer_moves_on(home):
    event = open_event(home, onsite=1, offer_hours=2)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    ines = register(event, "Ines")
    registrations.cancel_registration(lea, by=Actor.PERSON)
    sami.refresh_from_db()

    with pytest.raises(OfferUnavailable):
        registrations.accept_offer(
            sami, sequence=sami.sequence, now=timezone.now() + timedelta(hours=3)
        )

    assert status_of(sami) == Status.EXPIRED
    assert status_of(ines) == Status.OFFERED
    assert pool_of(ines).seats_offered == 1


def test_the_sweep_expires_offers_and_serves_the_list(home, told):
    event = open_event(home, onsite=1, offer_hours=2)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    ines = register(event, "Ines")
    registrations.cancel_registration(lea, by=Actor.PERSON)

    assert registrations.expire_offers(now=timezone.now() + timedelta(hours=1)) == 0
    assert registrations.expire_offers(now=timezone.now() + timedelta(hours=3)) == 1

    assert status_of(sami) == Status.EXPIRED
    assert status_of(ines) == Status.OFFERED
    assert ("Sami", RegistrationChange.EXPIRED) in told


def test_a_party_of_two_at_the_head_waits_for_two_seats_and_nobody_jumps_it(home):
    event = open_event(home, onsite=2)
    lea = register(event, "Lea")
    register(event, "Sami")
    duo = register(event, "Ines", party_size=2)
    solo = register(event, "Yanis")

    registrations.cancel_registration(lea, by=Actor.PERSON)

    assert status_of(duo) == Status.WAITING
    assert status_of(solo) == Status.WAITING
    assert pool_of(duo).seats_left == 1
    # A newcomer does not take the free seat either: they join the list behind.
    assert register(event, "Nour").status == Status.WAITING

    registrations.cancel_registration(
        Registration.objects.get(young_person__first_name="Sami"), by=Actor.PERSON
    )

    assert status_of(duo) == Status.OFFERED
    assert pool_of(duo).seats_offered == 2
    assert status_of(solo) == Status.WAITING


def test_who_opted_in_is_confirmed_directly(home, told):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami", auto_confirm=True)

    registrations.cancel_registration(lea, by=Actor.PERSON)

    assert status_of(sami) == Status.CONFIRMED
    assert told[-1] == ("Sami", RegistrationChange.CONFIRMED)


def test_leaving_the_list_moves_those_behind_up(home):
    event = open_event(home, onsite=1)
    register(event, "Lea")
    sami = register(event, "Sami")
    ines = register(event, "Ines")

    registrations.cancel_registration(sami, by=Actor.PERSON)

    assert status_of(sami) == Status.CANCELLED_BY_PERSON
    assert registrations.position(ines) == 1
    assert pool_of(ines).seats_confirmed == 1


def test_an_sms_offer_at_night_counts_its_hours_from_8(home, settings):
    settings.SMS_QUIET_HOURS = (time(20), time(8))
    structure = Structure.default()
    structure.sms_enabled = True
    structure.save()
    event = open_event(home, days=7, onsite=1, offer_hours=4)
    lea = register(event, "Lea")
    sami = register(event, "Sami", email="", phone="0612345678")
    zone = sami.date.structure.zone
    night = timezone.now().astimezone(zone).replace(hour=23, minute=0, second=0, microsecond=0)

    registrations.cancel_registration(lea, by=Actor.PERSON, now=night)

    sami.refresh_from_db()
    assert sami.offer_expires_at.astimezone(zone).hour == 12
    assert sami.offer_expires_at - night == timedelta(hours=13)


def test_one_live_registration_per_person_and_date(home):
    event = open_event(home, mode=AttendanceMode.HYBRID, onsite=1)
    register(event, "Lea")

    with pytest.raises(AlreadyRegistered):
        register(event, "Lea", mode="online")
    assert not SeatPool.objects.filter(mode="online", seats_confirmed__gt=0).exists()


def test_when_on_site_is_full_online_still_has_seats(home):
    event = open_event(home, mode=AttendanceMode.HYBRID, onsite=1, online=None)
    register(event, "Lea")

    sami = register(event, "Sami", mode="online")

    assert sami.status == Status.CONFIRMED
    assert SeatPool.objects.get(mode="online").capacity is None


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"party_size": 3}, InvalidDetails),
        ({"party_size": "deux"}, InvalidDetails),
        ({"consent": False}, InvalidDetails),
        ({"mode": "online"}, RegistrationClosed),
        ({"first_name": ""}, InvalidDetails),
    ],
)
def test_bad_requests_are_refused_with_nothing_written(home, fields, error):
    event = open_event(home)

    with pytest.raises(error):
        register(event, "Lea", **fields)

    assert not Registration.objects.exists()
    assert not SeatPool.objects.filter(seats_confirmed__gt=0).exists()


def test_closed_registrations_and_started_dates_take_nobody(home):
    event = open_event(home, registrations_open=False)
    with pytest.raises(RegistrationClosed):
        register(event, "Lea")


def test_a_moved_date_tells_everyone_and_raises_the_revision(home, told):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    row = event.occurrences.get()
    row.start += timedelta(hours=2)
    row.end += timedelta(hours=2)
    row.save()

    registrations.sync_event(event)

    date = EventDate.objects.get()
    assert date.start == row.start
    assert date.sequence == 1
    assert {("Lea", RegistrationChange.MOVED), ("Sami", RegistrationChange.MOVED)} <= set(told)
    assert status_of(lea) == Status.CONFIRMED
    assert status_of(sami) == Status.WAITING


def test_a_date_moved_earlier_ends_its_offers_by_the_new_cut_off(home):
    event = open_event(home, days=7, onsite=1, offer_hours=48, offer_cutoff_hours=3)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    registrations.cancel_registration(lea, by=Actor.PERSON)
    row = event.occurrences.get()
    row.start = timezone.now() + timedelta(hours=10)
    row.end = row.start + timedelta(hours=2)
    row.save()

    registrations.sync_event(event)

    sami.refresh_from_db()
    assert sami.status == Status.OFFERED
    assert sami.offer_expires_at == row.start - timedelta(hours=3)


def test_a_cancelled_date_cancels_every_registration_and_tells_all(home, told):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    event.occurrences.all().delete()

    registrations.sync_event(event)

    assert status_of(lea) == status_of(sami) == Status.EVENT_CANCELLED
    assert EventDate.objects.get().cancelled_at is not None
    assert pool_of(lea).seats_confirmed == 0
    assert told[-2:] == [
        ("Lea", RegistrationChange.EVENT_CANCELLED),
        ("Sami", RegistrationChange.EVENT_CANCELLED),
    ]


def test_more_seats_published_go_to_the_list_at_once(home):
    event = open_event(home, onsite=1)
    register(event, "Lea")
    sami = register(event, "Sami")
    event.onsite_capacity = 2
    event.save()

    registrations.sync_event(event)

    assert status_of(sami) == Status.OFFERED


def test_fewer_seats_never_drop_below_those_held(home):
    event = open_event(home, onsite=2)
    lea = register(event, "Lea")
    register(event, "Sami")
    event.onsite_capacity = 1
    event.save()

    registrations.sync_event(event)

    assert pool_of(lea).capacity == 2


def test_the_person_cannot_cancel_once_it_started_staff_can(home):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    later = EventDate.objects.get().start + timedelta(minutes=1)

    with pytest.raises(InvalidTransition):
        registrations.cancel_registration(lea, by=Actor.PERSON, now=later)
    registrations.cancel_registration(lea, by=Actor.STAFF, now=later)
    assert status_of(lea) == Status.CANCELLED_BY_STAFF


# Personal data ------------------------------------------------------------------------


def test_registrations_are_in_the_export(home):
    event = open_event(home, onsite=2)
    lea = register(event, "Lea", party_size=2)

    [exported] = privacy.export_person(lea.young_person)["registrations"]

    assert exported["event"] == "Portes ouvertes"
    assert (exported["seats"], exported["status"]) == (2, Status.CONFIRMED)


def test_erasing_someone_cancels_their_seat_for_the_next_and_keeps_the_facts(home):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    ShortLink.objects.create(registration=lea)

    privacy.erase_person(lea.young_person)

    lea.refresh_from_db()
    assert lea.young_person is None and lea.status == Status.CANCELLED_BY_STAFF
    assert status_of(sami) == Status.OFFERED
    assert not ShortLink.objects.filter(registration=lea).exists()
    assert not YoungPerson.objects.filter(first_name="Lea").exists()


def test_the_purge_forgets_who_registered_long_ago(home):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    EventDate.objects.update(
        start=timezone.now() - timedelta(days=500), end=timezone.now() - timedelta(days=500)
    )
    YoungPerson.objects.update(created_at=timezone.now() - timedelta(days=600))

    privacy.purge(Structure.default(), months=12)

    lea.refresh_from_db()
    assert lea.young_person is None and lea.status == Status.CONFIRMED
    assert not YoungPerson.objects.exists()


def test_a_date_cancelled_then_published_again_takes_registrations_afresh(home):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    row = event.occurrences.get()
    start, end, pk = row.start, row.end, row.pk
    row.delete()
    registrations.sync_event(event)
    EventOccurrenceFactory(page=event, start=start, end=end, pk=pk)

    sami = register(event, "Sami")

    assert sami.status == Status.CONFIRMED
    assert status_of(lea) == Status.EVENT_CANCELLED
    assert EventDate.objects.get().cancelled_at is None


def test_check_in_records_who_came_and_corrects_a_mistake(home):
    event = open_event(home, onsite=2)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    registrations.cancel_registration(sami, by=Actor.PERSON)

    registrations.mark_no_show(lea)
    registrations.mark_attended(lea)

    assert status_of(lea) == Status.ATTENDED
    with pytest.raises(InvalidTransition):
        registrations.mark_attended(sami)


def test_unpublishing_an_event_cancels_its_dates_and_tells_everyone(home, told):
    event = open_event(home, onsite=1)
    register(event, "Lea")
    register(event, "Sami")
    told.clear()

    event.unpublish()

    assert set(Registration.objects.values_list("status", flat=True)) == {Status.EVENT_CANCELLED}
    assert sorted(told) == [
        ("Lea", RegistrationChange.EVENT_CANCELLED),
        ("Sami", RegistrationChange.EVENT_CANCELLED),
    ]
    assert EventDate.objects.get().cancelled_at is not None
    assert pool_of(Registration.objects.first()).seats_confirmed == 0
    assert Notification.objects.filter(kind="reg_event_cancelled").count() == 2


def test_an_unpublish_rolled_back_leaves_the_registrations_as_they_were(home):
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")

    with pytest.raises(RuntimeError), transaction.atomic():
        event.unpublish()
        raise RuntimeError("the unpublish fails after the page was saved")

    assert status_of(lea) == Status.CONFIRMED
    assert EventPage.objects.get(pk=event.pk).live
    assert not Notification.objects.filter(kind="reg_event_cancelled").exists()


def test_deleting_an_event_cancels_its_dates_and_keeps_the_facts(
    home, django_capture_on_commit_callbacks
):
    event = open_event(home, onsite=2)
    lea = register(event, "Lea")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        event.delete()

    assert status_of(lea) == Status.EVENT_CANCELLED
    assert EventDate.objects.get().event is None
    [message] = mail.outbox
    assert message.to == ["lea@example.org"] and "annulé" in message.subject


def test_an_editor_unpublishing_or_deleting_an_event_in_the_admin_tells_everyone(
    admin_client, home, django_capture_on_commit_callbacks
):
    first = open_event(home, onsite=2)
    second = open_event(home, onsite=2, title="Journée sport")
    lea, sami = register(first, "Lea"), register(second, "Sami")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("wagtailadmin_pages:unpublish", args=[first.pk]))
        admin_client.post(reverse("wagtailadmin_pages:delete", args=[second.pk]))

    assert status_of(lea) == status_of(sami) == Status.EVENT_CANCELLED
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lea@example.org",
        "sami@example.org",
    ]
