"""Data migrations, run on rows as the old code stored them."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from booking.models import GroupSession, SeatPool, YoungPerson
from booking.services import find_person
from structures.models import Structure

overseas_numbers = importlib.import_module("booking.migrations.0012_overseas_phone_numbers")


def test_overseas_mobiles_stored_under_33_get_their_own_country_code(db):
    """What the old code stored for 0692…, 0639…, 0690…, 0696…, 0694… typed in France."""
    stored = {
        "+33692123456": "+262692123456",
        "+33639262728": "+262639262728",
        "+33690123456": "+590690123456",
        "+33696123456": "+596696123456",
        "+33694123456": "+594694123456",
        "+33612345678": "+33612345678",  # a metropolitan mobile stays
        "+33712345678": "+33712345678",  # no reading anywhere: left as it was
    }
    for number in stored:
        YoungPerson.objects.create(
            structure=Structure.default(), first_name="Maëva", phone=number, preferred_channel="sms"
        )

    overseas_numbers.give_overseas_numbers_their_country_code(apps, None)

    assert sorted(YoungPerson.objects.values_list("phone", flat=True)) == sorted(stored.values())
    assert find_person(Structure.default().pk, phone="0692 12 34 56").phone == "+262692123456"


def test_a_number_someone_already_has_is_left_alone(db):
    old = YoungPerson.objects.create(
        structure=Structure.default(),
        first_name="Maëva",
        phone="+33692123456",
        preferred_channel="sms",
    )
    YoungPerson.objects.create(
        structure=Structure.default(),
        first_name="Maëva",
        phone="+262692123456",
        preferred_channel="sms",
    )

    overseas_numbers.give_overseas_numbers_their_country_code(apps, None)

    old.refresh_from_db()
    assert old.phone == "+33692123456"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_sessions_booked_seats_move_to_its_new_seat_pool(make_counsellor, collectif, structure):
    """Sessions as the old code counted them (`seats_booked`) keep their seats on the
    pool that counts them from 0029 on, within their capacity."""
    host = make_counsellor("nadia", formats=[collectif])
    executor = MigrationExecutor(connection)
    before = [("booking", "0027_walk_ins")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldSession = old.get_model("booking", "GroupSession")
    start = timezone.now() + timedelta(days=3)
    booked, empty = (
        OldSession.objects.create(
            counsellor_id=host.pk,
            format_id=collectif.pk,
            place_id=structure.pk,
            start=start + timedelta(days=days),
            end=start + timedelta(days=days, hours=1),
            capacity=3,
            seats_booked=seats,
        )
        for days, seats in ((0, 2), (7, 0))
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert [
        (pool.date.group_session_id, pool.mode, pool.capacity, pool.seats_confirmed)
        for pool in SeatPool.objects.select_related("date").order_by("date__start")
    ] == [(booked.pk, "on_site", 3, 2), (empty.pk, "on_site", 3, 0)]
    assert GroupSession.objects.with_seats().get(pk=booked.pk).seats_left == 1
