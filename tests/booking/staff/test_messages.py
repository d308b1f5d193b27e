"""Staff see, on the booking, each e-mail and SMS sent about it with its state (an SMS
the provider refused says so), and whether the person said they are coming."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from booking.models import Booking, Notification
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


def reported(booking, delivery, *, kind="booked", message_id=""):
    return Notification.objects.create(
        booking=booking,
        kind=kind,
        channel="sms",
        status="sent",
        segments=1,
        provider_message_id=message_id,
        delivery=delivery,
        delivery_reported_at=timezone.now(),
    )


def test_staff_see_whether_the_sms_reached_the_phone(manager_client, samira):
    booking = BookingFactory(counsellor=samira, young_person__phone="+33781234567")
    reported(booking, "undelivered")
    reported(booking, "delivered", kind="reminder-24h")
    page = inspect(manager_client, booking)
    assert "SMS · Confirmation · SMS non distribué le " in page
    assert "SMS · Rappel 24 h avant · SMS distribué le " in page


def test_the_bookings_list_shows_the_last_report_at_the_same_cost_for_3_or_30(
    manager_client, samira, django_assert_max_num_queries
):
    listing = reverse("wagtailsnippets_booking_booking:list")

    def cost(count):
        for index in range(count):
            booking = BookingFactory(
                counsellor=samira,
                start=timezone.now() + timedelta(days=index + 1),
                young_person__phone=f"+3378123{index:04d}",
            )
            reported(booking, "delivered")
            reported(booking, "undelivered", kind="reminder-24h")
        manager_client.get(listing)
        with django_assert_max_num_queries(40) as captured:
            page = manager_client.get(listing).content.decode()
        assert page.count("SMS non distribué") == min(count, 20)  # 20 a page
        Booking.objects.all().delete()
        return len(captured)

    assert cost(3) == cost(30)
