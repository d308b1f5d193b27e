"""What a speed meeting hears from booking: a registration that no longer holds a seat
leaves the plans of a day to come, so its seats go to the re-plan."""

from booking.services.signals import RegistrationChange

from . import services

LEAVING = {RegistrationChange.CANCELLED, RegistrationChange.EVENT_CANCELLED}


def on_registration_changed(sender, registration, change, **kwargs):
    if change in LEAVING:
        services.drop_seats(registration)
