"""An install from before structures keeps every row: all of them move to a first
structure, the default site's, named after the organisation its site identity gives."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("booking", "0012_overseas_phone_numbers"),
    ("structures", None),
    ("home", "0004_editors_group"),
    # Event days came later, on booking's registrations: not there yet.
    ("eventdays", None),
]


def migrate(targets):
    """Apply or unapply up to `targets`; every app's models as they are then."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    named = {app for app, _name in targets}
    state = [node for node in loader.graph.leaf_nodes() if node[0] not in named]
    return loader.project_state(state + [t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_row_moves_to_the_default_sites_structure():
    old = migrate(BEFORE)
    site = old.get_model("wagtailcore", "Site").objects.get(is_default_site=True)
    old.get_model("home", "SiteIdentity").objects.update_or_create(
        site=site, defaults={"organisation": "Mission Locale de Lens-Liévin"}
    )
    user = old.get_model("auth", "User").objects.create(username="conseil-nadia")
    manager = old.get_model("auth", "User").objects.create(username="responsable")
    manager.groups.add(old.get_model("auth", "Group").objects.get(name="Responsables"))
    counsellor = old.get_model("booking", "Counsellor").objects.create(
        user=user, slug="nadia", first_name="Nadia"
    )
    place = old.get_model("booking", "Place").objects.create(kind="structure", name="Espace")
    individuel = old.get_model("booking", "Format").objects.get(slug="individuel")
    counsellor.formats.add(individuel)
    old.get_model("booking", "AvailabilityRule").objects.create(
        counsellor=counsellor,
        recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO",
        place=place,
        start_time=time(9),
        end_time=time(12),
    )
    old.get_model("booking", "Closure").objects.create(
        label="Pont", start_date=datetime(2027, 5, 7).date(), end_date=datetime(2027, 5, 7).date()
    )
    person = old.get_model("booking", "YoungPerson").objects.create(
        first_name="Léa", email="lea@example.org"
    )
    start = datetime(2027, 1, 4, 9, tzinfo=UTC)
    old.get_model("booking", "Booking").objects.create(
        counsellor=counsellor,
        format=individuel,
        place=place,
        young_person=person,
        start=start,
        end=start + timedelta(minutes=45),
        busy_until=start + timedelta(hours=1),
    )
    formats_before = old.get_model("booking", "Format").objects.count()

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    structure = new.get_model("structures", "Structure").objects.get()
    assert structure.site_id == site.pk
    assert structure.name == "Mission Locale de Lens-Liévin"
    assert structure.time_zone == "Europe/Paris"
    for name in ("Place", "Format", "Closure", "YoungPerson"):
        rows = new.get_model("booking", name).objects
        assert rows.exists() and not rows.exclude(structure=structure).exists(), name
    assert new.get_model("booking", "Format").objects.count() == formats_before
    assert list(structure.counsellors.values_list("slug", flat=True)) == ["nadia"]
    assert list(structure.members.values_list("username", flat=True)) == ["responsable"]
    booking = new.get_model("booking", "Booking").objects.get()
    assert booking.format.structure_id == structure.pk
    assert booking.young_person.first_name == "Léa" and booking.start == start
