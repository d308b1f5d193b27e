"""Staff see, on the booking, each e-mail and SMS sent about it with its state (an SMS
the provider refused says so), and whether the person said they are coming."""

from django.urls import reverse
from django.utils.translation import gettext

from booking.models import Notification
from booking.services import confirm_attendance

from ..factories import BookingFactory


def inspect(client, booking):
    url = reverse("wagtailsnippets_booking_booking:inspect", args=[booking.pk])
    return client.get(url).content.decode()


def test_the_booking_lists_its_messages_and_their_state(manager_client, samira):
    booking = BookingFactory(counsellor=samira, young_person__phone="+33781234567")
    Notification.objects.create(
        booking=booking, kind="booked", sequence=0, channel="sms", status="sent", segments=1
    )
    Notification.objects.create(
        booking=booking, kind="reminder-24h", sequence=0, channel="sms", status="rejected"
    )
    page = inspect(manager_client, booking)
    assert gettext("Messages sent to them") in page
    assert "SMS · " + gettext("Confirmation") + " · " + gettext("Sent") + " (1 SMS)" in page
    assert (
        "SMS · "
        + gettext("Reminder %(hours)s h before") % {"hours": "24"}
        + " · "
        + gettext("Refused by the provider, not retried")
        in page
    )


def test_staff_see_that_the_person_is_coming(manager_client, samira):
    booking = BookingFactory(counsellor=samira)
    confirm_attendance(booking)
    assert gettext("coming, confirmed").capitalize() in inspect(manager_client, booking)
