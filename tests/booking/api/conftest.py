"""Fixtures of the API tests."""

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def no_public_holidays(settings):
    """Public holidays would make days vary."""
    settings.BOOKING_CLOSED_ON_PUBLIC_HOLIDAYS = False


@pytest.fixture
def day():
    """A Monday 8 to 14 days ahead: within the horizon, beyond the notice."""
    today = timezone.localdate()
    return today + timedelta(days=14 - today.weekday())
