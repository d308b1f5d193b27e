"""The end of an "Adopte un pro" day in Chromium, on the demo's next date played to the
end: a young person chooses on their phone, the counsellor marks them by their link,
staff close the choices and send, the invitation's link arrives by e-mail and the young
person books the follow-up with it. Every page passes axe and works by keyboard."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from booking.services.tokens import make_registration_token
from eventdays.models import Pro, Seat, SpeedMeeting
from eventdays.speed import links, services
from tests.browser.axe import assert_no_axe_violations
from tests.browser.pages import COMPUTER, PHONE
from tests.browser.test_booking_flow import choose_first, submit, tab_to
from tests.browser.test_front_desk import sign_in

pytestmark = pytest.mark.browser


def played_meeting():
    """The demo's next date, published and played to its end."""
    meeting = SpeedMeeting.objects.get(date__start__gt=timezone.now())
    services.publish(meeting)
    for number in range(meeting.rounds + 1):
        services.next_round(meeting, starting=number)
    meeting.refresh_from_db()
    return meeting


def go(page, selector):
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_choose_mark_close_and_book_the_follow_up(live_site, browser_page):
    follow_up_by_keyboard(browser_page, live_site, played_meeting())


def follow_up_by_keyboard(page, live_site, meeting, *, staff_signed_in=False):
    """The end of `meeting`, played: someone who met a counsellor chooses them, is marked
    back, staff send, and the invitation's link books the follow-up."""
    counsellor = meeting.pros.filter(kind=Pro.Kind.COUNSELLOR).select_related("counsellor")[0]
    seat = Seat.objects.filter(meeting=meeting, published=True, pro=counsellor).select_related(
        "registration__young_person"
    )[0]
    registration, person = seat.registration, seat.registration.young_person

    # The young person, on their phone: the same person twice is refused, then chosen.
    page.set_viewport_size(PHONE)
    choices = reverse("eventdays:speed_choices", args=[make_registration_token(registration)])
    page.goto(live_site + choices)
    expect(page.locator("h1")).to_contain_text("Avec qui tu t’es senti·e le mieux")
    assert_no_axe_violations(page)
    for field in ("#id_first", "#id_second"):
        tab_to(page, field)
        page.keyboard.type(counsellor.label)
    submit(page)
    expect(page.locator(".error-summary[role=alert]")).to_contain_text("deux fois")
    assert_no_axe_violations(page)
    expect(page.locator("#id_first")).to_have_value(str(counsellor.pk))
    tab_to(page, "#id_second")
    page.keyboard.type("Personne")
    submit(page)
    expect(page.locator("[role=status]")).to_contain_text("Tes choix sont enregistrés")
    assert_no_axe_violations(page)

    # The counsellor ticks them by their own link and says how many they can follow.
    page.goto(live_site + reverse("eventdays:speed_marks", args=[links.pro_token(counsellor)]))
    assert_no_axe_violations(page)
    tab_to(page, f'input[name="young"][value="{registration.pk}"]')
    page.keyboard.press("Space")
    tab_to(page, "#id_capacity")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    submit(page)
    expect(page.locator("[role=status]")).to_be_visible()
    assert_no_axe_violations(page)

    # Staff see what sending gives, and send.
    page.set_viewport_size(COMPUTER)
    if not staff_signed_in:
        sign_in(page, live_site, "responsable-lens")
    page.goto(live_site + reverse("eventdays_speed:meeting", args=[meeting.pk]))
    assert_no_axe_violations(page)
    go(page, f'a[href$="/speed-after/{meeting.pk}/"]')
    expect(page.locator("table.listing")).to_contain_text(
        f"Invitation à prendre rendez-vous avec {counsellor.label}"
    )
    assert_no_axe_violations(page)
    mail.outbox.clear()
    go(page, 'button[value="send"]')
    expect(page.locator("body")).to_contain_text("Ce qui a été envoyé")
    assert_no_axe_violations(page)

    # The invitation arrives; the young person follows it and books, by keyboard.
    [message] = [m for m in mail.outbox if m.to == [person.email] and "/invitation/" in m.body]
    link = re.search(r"https?://\S+/invitation/\S+", message.body).group(0)
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(link)
    assert_no_axe_violations(page)
    for _step in range(4):
        if page.locator('input[name="creneau"]').count():
            break
        for name in ("premiere", "lieu"):
            if page.locator(f'input[name="{name}"]').count():
                choose_first(page, name)
        submit(page)
        assert_no_axe_violations(page)
    choose_first(page, "creneau")
    submit(page)
    assert_no_axe_violations(page)
    tab_to(page, "#id_first_name")
    page.keyboard.type(person.first_name)
    tab_to(page, "#id_email")
    page.keyboard.type(person.email)
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    submit(page)
    expect(page.locator("h1")).to_contain_text(person.first_name)
    assert_no_axe_violations(page)
    booking = Booking.objects.get(source=Booking.Source.INVITATION, young_person=person)
    assert booking.counsellor == counsellor.counsellor
