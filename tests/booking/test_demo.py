"""The demo data gives every way to meet a free slot, and loading it twice changes nothing."""

from datetime import date
from importlib import import_module

from django.apps import apps

from booking import demo
from booking.models import AvailabilityRule, Counsellor, Format, GroupSession, Place
from booking.scheduling.loading import find_slots
from structures.models import Structure

from .factories import paris


def seed_formats():
    """The demo relies on the seeded formats; recreate them when run without migrations."""
    seed = import_module("booking.migrations.0002_seed_formats")
    seed.create_formats(apps, None)


def test_demo_offers_every_way_to_meet_and_can_be_loaded_twice(db):
    seed_formats()
    demo.load(today=date(2026, 3, 2))
    counts = [Counsellor.objects.count(), AvailabilityRule.objects.count(), Place.objects.count()]
    demo.load(today=date(2026, 3, 2))
    assert [
        Counsellor.objects.count(),
        AvailabilityRule.objects.count(),
        Place.objects.count(),
    ] == counts
    assert GroupSession.objects.count() == 8

    slots = find_slots(Structure.default(), now=paris("2026-03-02 08:00"))
    offered = {(slot.format.slug, slot.place.kind) for slot in slots}
    assert {
        ("individuel", "structure"),
        ("individuel", "phone"),
        ("individuel", "home"),
        ("cafe", "public_place"),
        ("jeu", "structure"),
        ("collectif", "structure"),
    } <= offered
    assert {slot.counsellor.slug for slot in slots} == {"samia", "kevin", "marta", "yanis"}
    assert Format.objects.filter(slug="collectif").get().group_sessions.count() == 8
