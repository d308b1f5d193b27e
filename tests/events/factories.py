"""Factories for the event pages; dates default to next week, so an event is upcoming."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.models import AttendanceMode, EventIndexPage, EventOccurrence, EventPage, EventType


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Événements"
    slug = "evenements"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Événement {n}")
    event_type = EventType.WORKSHOP
    intro = "Un atelier pour préparer son entretien."
    attendance_mode = AttendanceMode.IN_PERSON
    venue_name = "Espace Passerelle"
    address = "14 rue des Terrils\n62300 Lens"

    class Meta:
        model = EventPage


class EventOccurrenceFactory(DjangoModelFactory):
    page = factory.SubFactory(EventPageFactory)
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda occurrence: occurrence.start + timedelta(hours=3))

    class Meta:
        model = EventOccurrence
