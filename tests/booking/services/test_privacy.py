"""Young people's data: purged after the retention period, found, exported and erased on
request by managers only; what statistics need stays."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, Invitation, Notification, YoungPerson
from booking.services import privacy
from structures.models import Structure

from ..factories import (
    HOME_ADDRESS,
    BookingFactory,
    FormatFactory,
    UserFactory,
    YoungPersonFactory,
)

NOW = timezone.now()


def person(first_name, **contact):
    """Someone first seen 800 days ago."""
    young = YoungPersonFactory(first_name=first_name, **contact)
    YoungPerson.objects.filter(pk=young.pk).update(created_at=NOW - timedelta(days=800))
    return young


def months_ago(months):
    return NOW - timedelta(days=31 * months)


# Purge --------------------------------------------------------------------------------


def test_the_purge_anonymises_old_bookings_and_deletes_people_seen_long_ago(samira):
    gone = person("Léa", email="lea@example.org")
    old = BookingFactory(
        counsellor=samira,
        start=months_ago(14),
        young_person=gone,
        status=Booking.Status.CANCELLED_BY_STAFF,
        cancellation_message="Désolée Léa, je suis absente.",
    )
    Notification.objects.create(
        booking=old, kind="booked", sequence=0, last_error="550 lea@example.org refused"
    )
    back = person("Noah", phone="+33612345678")
    noah_old = BookingFactory(
        counsellor=samira, start=months_ago(13), young_person=back, status=Booking.Status.ATTENDED
    )
    noah_recent = BookingFactory(
        counsellor=samira, start=months_ago(2), young_person=back, status=Booking.Status.ATTENDED
    )

    result = privacy.purge(Structure.default(), now=NOW)

    assert (result.bookings, result.people) == (2, 1)
    assert not YoungPerson.objects.filter(pk=gone.pk).exists()
    old.refresh_from_db()
    assert old.young_person is None and old.message == old.cancellation_message == ""
    assert (old.status, old.format, old.place) == (
        Booking.Status.CANCELLED_BY_STAFF,
        noah_recent.format,
        noah_recent.place,
    )
    assert Notification.objects.get().last_error == ""
    noah_old.refresh_from_db()
    noah_recent.refresh_from_db()
    assert noah_old.young_person is None
    assert noah_recent.young_person == back and noah_recent.message


def test_the_purge_and_the_erasure_take_the_home_address_and_the_number_to_call(samira):
    visited = BookingFactory(
        counsellor=samira,
        start=months_ago(14),
        young_person=person("Léa", email="lea@example.org"),
        status=Booking.Status.ATTENDED,
        call_phone="+33612345678",
        **HOME_ADDRESS,
    )
    erased = person("Tom", email="tom@example.org")
    upcoming = BookingFactory(
        counsellor=samira, start=NOW + timedelta(days=5), young_person=erased, **HOME_ADDRESS
    )

    privacy.purge(Structure.default(), now=NOW)
    privacy.erase_person(erased)

    for booking in (visited, upcoming):
        booking.refresh_from_db()
        assert booking.home_address == booking.call_phone == ""
        assert all(getattr(booking, field) == "" for field in Booking.HOME_FIELDS)


def test_the_purge_is_idempotent_and_counts_first_in_a_dry_run(samira):
    BookingFactory(
        counsellor=samira, start=months_ago(20), young_person=person("Léa", email="lea@example.org")
    )

    dry = privacy.purge(Structure.default(), now=NOW, dry_run=True)
    assert (dry.bookings, dry.people) == (1, 1)
    assert YoungPerson.objects.exists()
    first, again = (
        privacy.purge(Structure.default(), now=NOW),
        privacy.purge(Structure.default(), now=NOW),
    )
    assert (first.bookings, first.people) == (1, 1)
    assert (again.bookings, again.people) == (0, 0)
    assert Booking.objects.count() == 1


def test_the_retention_period_is_a_setting(samira, settings):
    BookingFactory(
        counsellor=samira, start=months_ago(4), young_person=person("Léa", email="lea@example.org")
    )

    assert privacy.purge(Structure.default(), now=NOW).bookings == 0
    settings.BOOKING_RETENTION_MONTHS = 3
    assert privacy.purge(Structure.default(), now=NOW).bookings == 1


def test_an_upcoming_booking_keeps_its_person(samira):
    young = person("Léa", email="lea@example.org")
    BookingFactory(counsellor=samira, start=NOW + timedelta(days=3), young_person=young)

    assert privacy.purge(Structure.default(), now=NOW).people == 0
    assert YoungPerson.objects.filter(pk=young.pk).exists()


def test_each_structure_keeps_data_for_its_own_retention_period(samira, other_structure):
    """Lens keeps 12 months, the other structure 3: a booking of 5 months ago is erased
    there only, by the one daily command."""
    other_structure.retention_months = 3
    other_structure.save()
    theirs = BookingFactory(
        format=FormatFactory(structure=other_structure),
        counsellor=samira,
        start=months_ago(5),
        young_person=person("Inès", email="ines@example.org", structure=other_structure),
    )
    ours = BookingFactory(
        counsellor=samira, start=months_ago(5), young_person=person("Léa", email="lea@example.org")
    )

    call_command("purge_booking_data", stdout=StringIO())

    theirs.refresh_from_db(), ours.refresh_from_db()
    assert theirs.young_person is None and theirs.message == ""
    assert ours.young_person is not None and ours.young_person.first_name == "Léa"


def test_the_command(samira):
    BookingFactory(
        counsellor=samira, start=months_ago(20), young_person=person("Léa", email="lea@example.org")
    )
    out = StringIO()

    call_command("purge_booking_data", "--dry-run", stdout=out)
    assert "Would anonymise 1 bookings" in out.getvalue()
    assert Booking.objects.filter(young_person__isnull=False).exists()

    call_command("purge_booking_data", "--months", "24", stdout=out)
    assert Booking.objects.filter(young_person__isnull=False).exists()
    call_command("purge_booking_data", stdout=out)
    assert not Booking.objects.filter(young_person__isnull=False).exists()
    assert not YoungPerson.objects.exists()
    with pytest.raises(CommandError):
        call_command("purge_booking_data", "--months", "0")


# Find, export, erase ------------------------------------------------------------------


@pytest.fixture
def lea(samira):
    young = person("Léa", email="lea@example.org")
    BookingFactory(
        counsellor=samira, start=months_ago(1), young_person=young, status=Booking.Status.ATTENDED
    )
    return young


FIND = reverse("booking_personal_data:find")


def test_a_manager_finds_a_person_by_email_or_phone(manager_client, samira, lea):
    person("Noah", phone="+33612345678")

    page = manager_client.post(FIND, {"contact": " LEA@example.org "}).content.decode()
    assert "Léa" in page and "lea@example.org" in page
    assert reverse("booking_personal_data:erase", args=[lea.pk]) in page
    assert "Noah" in manager_client.post(FIND, {"contact": "06 12 34 56 78"}).content.decode()
    assert manager_client.post(FIND, {"contact": "nobody@example.org"}).context["person"] is None
    assert manager_client.post(FIND, {"contact": "12"}).context["form"].errors["contact"]


def test_a_manager_exports_a_persons_data(manager_client, lea):
    response = manager_client.get(reverse("booking_personal_data:export", args=[lea.pk]))

    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["person"]["email"] == "lea@example.org"
    assert data["bookings"][0]["message"] == "Je cherche une formation."
    assert data["bookings"][0]["status"] == Booking.Status.ATTENDED
    assert data["person"]["preferred_channel"] == "email"


def test_the_export_has_the_home_address_and_the_number_to_call(manager_client, samira):
    lea = person("Léa", email="lea@example.org", phone="+33612345678", preferred_channel="sms")
    BookingFactory(counsellor=samira, young_person=lea, call_phone="+33612345678", **HOME_ADDRESS)

    response = manager_client.get(reverse("booking_personal_data:export", args=[lea.pk]))

    data = json.loads(response.content)
    assert (data["person"]["phone"], data["person"]["preferred_channel"]) == (
        "+33612345678",
        "sms",
    )
    (booking,) = data["bookings"]
    assert booking["home_address"] == {
        "street": "12 rue des Écoles",
        "postcode": "62300",
        "town": "Lens",
        "access": "Bâtiment B, 2e étage",
    }
    assert booking["number_to_call"] == "+33612345678"


def test_a_manager_erases_a_person_after_confirming(manager_client, samira, lea):
    upcoming = BookingFactory(counsellor=samira, start=NOW + timedelta(days=5), young_person=lea)
    erase = reverse("booking_personal_data:erase", args=[lea.pk])

    assert "Léa" in manager_client.get(erase).content.decode()
    assert YoungPerson.objects.filter(pk=lea.pk).exists()
    response = manager_client.post(erase)

    assert response.status_code == 302
    assert not YoungPerson.objects.exists()
    upcoming.refresh_from_db()
    assert upcoming.status == Booking.Status.CANCELLED_BY_STAFF
    assert upcoming.young_person is None and upcoming.message == ""
    assert Booking.objects.count() == 2
    assert manager_client.post(erase).status_code == 404


def test_erasing_frees_the_slot_without_writing_to_the_erased_address(
    samira, lea, django_capture_on_commit_callbacks, caplog
):
    upcoming = BookingFactory(counsellor=samira, start=NOW + timedelta(days=5), young_person=lea)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert privacy.erase_person(lea) == 2

    assert callbacks, "the cancellation was announced"
    upcoming.refresh_from_db()
    assert upcoming.status == Booking.Status.CANCELLED_BY_STAFF
    assert mail.outbox == []
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


@pytest.mark.parametrize("username", ["conseillere", "admin-without-rights"])
def test_counsellors_cannot_reach_personal_data(samira, lea, username):
    group = "Conseillers" if username == "conseillere" else "Éditeurs"
    client = Client()
    client.force_login(UserFactory(username=username, groups=[group]))

    for response in [
        client.get(FIND),
        client.post(FIND, {"contact": "lea@example.org"}),
        client.get(reverse("booking_personal_data:export", args=[lea.pk])),
        client.post(reverse("booking_personal_data:erase", args=[lea.pk])),
    ]:
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert YoungPerson.objects.filter(pk=lea.pk).exists()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert FIND not in menu


# Invitations --------------------------------------------------------------------------


def invitation_to(counsellor, contact, *, expires_at=None):
    return Invitation.objects.create(
        counsellor=counsellor,
        format=counsellor.formats.get(),
        channel="email" if "@" in contact else "sms",
        contact=contact,
        expires_at=expires_at or NOW + timedelta(days=10),
    )


def test_invitations_are_exported_and_erased_with_the_person(samira):
    lea = person("Léa", email="lea@example.org")
    invitation_to(samira, "lea@example.org")
    invitation_to(samira, "noah@example.org")

    exported = privacy.export_person(lea)
    privacy.erase_person(lea, now=NOW)

    assert [row["counsellor"] for row in exported["invitations"]] == ["Samira"]
    assert list(Invitation.objects.values_list("contact", flat=True)) == ["noah@example.org"]


def test_the_purge_deletes_invitations_expired_before_the_cutoff(samira):
    invitation_to(samira, "old@example.org", expires_at=months_ago(13))
    invitation_to(samira, "recent@example.org", expires_at=months_ago(2))

    dry = privacy.purge(Structure.default(), now=NOW, dry_run=True)
    result = privacy.purge(Structure.default(), now=NOW)

    assert (dry.invitations, result.invitations) == (1, 1)
    assert list(Invitation.objects.values_list("contact", flat=True)) == ["recent@example.org"]
