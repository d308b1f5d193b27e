"""From a reminder, one tap: "I'm coming" (recorded, shown to staff) or "I can't come"
(cancelled at once, the time free again); and, for a phone number, "No more text
messages". Plain forms: no JavaScript needed."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from booking.models import Booking
from booking.services import privacy
from booking.services.tokens import make_token

from ..flow_support import assert_shows, book, free_slots, text


def url(name, booking):
    return reverse(f"booking:{name}", args=[make_token(booking)])


def test_the_reminders_page_leads_with_both_answers(client, booking):
    page = client.get(url("manage", booking) + "?rappel=1")
    assert_shows(page, gettext("Are you coming?"))
    # The page signs its links when it renders (a second may have ticked since ours):
    # compare where they lead, and that "Je viens" answers for this booking.
    coming = re.search(r'action="(/rendez-vous/gerer/[^/"]+/je-viens/)"', text(page))
    assert coming and re.search(r'action="/rendez-vous/gerer/[^/"]+/annuler/"', text(page))
    assert_shows(page, gettext("I can't come any more: cancel"))
    assert client.post(coming.group(1)).status_code == 303
    booking.refresh_from_db()
    assert booking.attendance_confirmed_at is not None

    plain = client.get(url("manage", booking))
    assert gettext("Are you coming?") not in text(plain)


def test_im_coming_is_recorded_once_and_said_on_the_page(client, booking):
    response = client.post(url("confirm_attendance", booking))
    assert response.status_code == 303
    booking.refresh_from_db()
    confirmed = booking.attendance_confirmed_at
    assert confirmed is not None and booking.status == Booking.Status.CONFIRMED
    page = client.get(response["Location"] + "?rappel=1")
    assert_shows(page, gettext("Thank you! We have noted that you are coming."))
    assert_shows(page, gettext("You told us you are coming. Thank you!"))

    client.post(url("confirm_attendance", booking))
    booking.refresh_from_db()
    assert booking.attendance_confirmed_at == confirmed


def test_i_cant_come_cancels_at_once_and_frees_the_time(client, samira):
    slot = free_slots(samira)[0]
    booking = book(slot)
    assert slot.start not in [s.start for s in free_slots(samira)]
    response = client.post(url("cancel", booking), {"revision": booking.sequence})
    assert response.status_code == 303
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_PERSON
    assert slot.start in [s.start for s in free_slots(samira)]


def test_im_coming_after_the_start_is_refused_in_plain_words(client, booking):
    past = timezone.now() - timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(start=past)
    response = client.post(url("confirm_attendance", booking))
    assert response.status_code == 400
    assert_shows(response, gettext("This appointment has already started."))
    booking.refresh_from_db()
    assert booking.attendance_confirmed_at is None


def test_a_phone_user_can_stop_text_messages_from_the_manage_page(client, samira):
    booking = book(free_slots(samira)[0], email="", phone="+33781234567")
    page = client.get(url("manage", booking))
    assert_shows(page, gettext("No more text messages"))

    response = client.post(url("stop_sms", booking))
    assert response.status_code == 303
    booking.young_person.refresh_from_db()
    assert booking.young_person.sms_stopped_at is not None
    after = client.get(response["Location"])
    assert_shows(after, gettext("Done: we will not send you text messages any more."))
    assert gettext("No more text messages") not in text(after)

    export = privacy.export_person(booking.young_person)
    assert export["person"]["text_messages_stopped_at"] is not None


def test_people_reached_by_email_are_not_offered_to_stop_sms(client, booking):
    assert gettext("No more text messages") not in text(client.get(url("manage", booking)))


def test_the_confirmation_is_exported_with_the_booking(client, booking):
    client.post(url("confirm_attendance", booking))
    [exported] = privacy.export_person(booking.young_person)["bookings"]
    assert exported["coming_confirmed_at"] is not None


def test_these_forms_only_take_posts(client, booking):
    assert client.get(url("confirm_attendance", booking)).status_code == 405
    assert client.get(url("stop_sms", booking)).status_code == 405
