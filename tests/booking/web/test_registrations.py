"""The young person's side of registrations: the seats on the event page, the form,
the manage page with the offer's one-tap answers, and the messages they receive."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from booking.models import Notification, Registration
from booking.services import registrations
from booking.services.contacts import display_phone, normalise_contact
from booking.services.signals import Actor
from booking.services.tokens import make_registration_token, read_registration_token
from core import pagecache
from core.sms import gsm7
from events.models import AttendanceMode
from structures.models import Structure

from ..registrations_support import first_date, open_event, register

pytestmark = pytest.mark.django_db
Status = Registration.Status


def form_url(event):
    return reverse("booking:register", args=[event.pk, first_date(event).key])


def manage_url(registration, *, sent=False):
    """Its manage page, as a message sends it (`sent`) or as the form gives it."""
    registration.refresh_from_db()
    token = make_registration_token(registration, sent=sent)
    return reverse("booking:registration", args=[token])


def typed(name="Léa", **fields):
    return {
        "first_name": name,
        "email": f"{name.lower().replace('é', 'e')}@example.org",
        "phone": "",
        "mode": "on_site",
        "party_size": "1",
        "consent": "on",
        **fields,
    }


def test_the_event_page_shows_the_seats_left_and_says_full_honestly(client, home):
    event = open_event(home, onsite=2)

    assert "2 places restantes" in client.get(event.url).content.decode()
    register(event, "Lea")
    register(event, "Sami")
    html = client.get(event.url).content.decode()
    assert "Complet — liste d’attente" in html or "Complet — liste d'attente" in html
    assert form_url(event) in html


def test_filling_the_last_seat_changes_the_cached_event_page_at_once(client, home, settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    pagecache.SITES.clear()
    event = open_event(home, onsite=1)
    assert "1 place restante" in client.get(event.url).content.decode()
    assert "1 place restante" in client.get(event.url).content.decode()

    client.post(form_url(event), typed())

    html = client.get(event.url).content.decode()
    assert "1 place restante" not in html
    assert "liste d" in html


def test_registering_by_the_form_confirms_and_sends_the_calendar(
    client, home, django_capture_on_commit_callbacks
):
    event = open_event(home, onsite=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(event), typed(party_size="2"))

    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    assert "Merci, Léa" in html and "lea@example.org" in html
    registration = Registration.objects.get()
    assert (registration.status, registration.party_size) == (Status.CONFIRMED, 2)
    [message] = mail.outbox
    assert "Portes ouvertes" in message.subject
    [calendar] = [
        part.get_payload(decode=True).decode()
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert "METHOD:REQUEST" in calendar and "SUMMARY:Portes ouvertes" in calendar
    assert "/rendez-vous/inscription/gerer/" in message.body


def test_a_refused_form_keeps_what_was_typed_and_says_why(client, home):
    event = open_event(home, onsite=2, party_size_max=2)

    response = client.post(form_url(event), typed(email="pas-une-adresse", party_size="5"))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="pas-une-adresse"' in html
    assert 'value="Léa"' in html
    assert not Registration.objects.exists()


def test_when_on_site_is_full_the_form_offers_online_and_the_waiting_list(client, home):
    event = open_event(home, mode=AttendanceMode.HYBRID, onsite=1, online=None)
    register(event, "Lea")

    html = client.get(form_url(event)).content.decode()
    assert "Complet — liste d" in html
    assert 'value="online"' in html and 'value="on_site"' in html

    client.post(form_url(event), typed("Sami", mode="online"))
    client.post(form_url(event), typed("Ines", mode="on_site"))
    statuses = dict(Registration.objects.values_list("young_person__first_name", "status"))
    assert statuses == {"Lea": Status.CONFIRMED, "Sami": Status.CONFIRMED, "Ines": Status.WAITING}


def test_the_waiting_person_sees_their_position_and_can_leave(client, home):
    event = open_event(home, onsite=1)
    register(event, "Lea")
    sami = register(event, "Sami")
    ines = register(event, "Ines")

    assert "numéro 2" in client.get(manage_url(ines)).content.decode()
    page = client.get(manage_url(sami))
    assert "numéro 1" in page.content.decode()
    client.post(manage_url(sami) + "annuler/", {"revision": str(sami.sequence)})

    assert Registration.objects.get(pk=sami.pk).status == Status.CANCELLED_BY_PERSON
    assert "numéro 1" in client.get(manage_url(ines)).content.decode()


def offered(home, **fields):
    event = open_event(home, onsite=1, **fields)
    lea = register(event, "Lea")
    sami = register(event, "Sami")
    registrations.cancel_registration(lea, by=Actor.PERSON)
    sami.refresh_from_db()
    return event, sami


def test_the_offer_is_taken_in_one_tap_and_its_form_cannot_be_replayed(client, home):
    event, sami = offered(home)
    url = manage_url(sami)
    html = client.get(url).content.decode()
    assert "Je la prends" in html or "Je prends" in html
    answer = {"revision": str(sami.sequence)}

    assert client.post(url + "prendre/", answer).status_code == 303
    assert Registration.objects.get(pk=sami.pk).status == Status.CONFIRMED

    replay = client.post(url + "prendre/", answer)
    assert replay.status_code == 400
    assert (
        "n’est plus valable" in replay.content.decode() or "plus valable" in replay.content.decode()
    )
    assert client.post(url + "laisser/", answer).status_code == 400
    assert Registration.objects.get(pk=sami.pk).status == Status.CONFIRMED


def test_an_expired_offer_is_refused_and_shown_as_expired(client, home):
    event, sami = offered(home, offer_hours=1)
    url = manage_url(sami)
    Registration.objects.filter(pk=sami.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = client.post(url + "prendre/", {"revision": str(sami.sequence)})

    assert response.status_code == 400
    assert Registration.objects.get(pk=sami.pk).status == Status.EXPIRED
    assert "Je prends" not in client.get(url).content.decode()


def test_an_offer_withdrawn_by_a_cancelled_date_cannot_be_taken(client, home):
    event, sami = offered(home)
    url = manage_url(sami)
    event.occurrences.all().delete()
    registrations.sync_event(event)

    response = client.post(url + "prendre/", {"revision": str(sami.sequence)})

    assert response.status_code == 400
    assert Registration.objects.get(pk=sami.pk).status == Status.EVENT_CANCELLED


def test_declining_passes_the_seat_on_and_the_next_is_told(
    client, home, django_capture_on_commit_callbacks
):
    event, sami = offered(home)
    ines = register(event, "Ines")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_url(sami) + "laisser/", {"revision": str(sami.sequence)})

    assert Registration.objects.get(pk=ines.pk).status == Status.OFFERED
    [message] = mail.outbox
    assert message.to == ["ines@example.org"]
    assert "place" in message.subject.lower()
    link = re.search(r"https?://\S+/inscription/gerer/\S+", message.body).group(0)
    assert "Je prends" in client.get(link.split("localhost", 1)[1]).content.decode()


def test_an_sms_offer_fits_one_segment_with_its_short_link(
    client, home, sms_outbox, django_capture_on_commit_callbacks
):
    structure = Structure.default()
    structure.sms_enabled = True
    structure.save()
    event = open_event(home, onsite=1)
    lea = register(event, "Lea")
    sami = register(event, "Sami", email="", phone="06 12 34 56 78")

    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel_registration(lea, by=Actor.PERSON)

    [sms] = [message for message in sms_outbox if message.to == "+33612345678"]
    assert "/r/" in sms.text
    code = sms.text.split("/r/")[1].split()[0].rstrip(".")
    assert len(sms.text) <= 160
    response = client.get(f"/r/{code}")
    assert response.status_code == 302
    assert "Je prends" in client.get(response["Location"]).content.decode()
    notification = Notification.objects.get(registration=sami, kind="reg_offered")
    assert notification.channel == "sms"


def test_a_date_moved_tells_everyone_the_new_time(home, django_capture_on_commit_callbacks):
    event = open_event(home, onsite=1)
    register(event, "Lea")
    register(event, "Sami")
    mail.outbox.clear()
    row = event.occurrences.get()
    row.start += timedelta(hours=1)
    row.end += timedelta(hours=1)
    row.save()

    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "lea@example.org",
        "sami@example.org",
    ]
    assert all("a changé d’horaire" in message.subject for message in mail.outbox)
    calendars = {
        message.to[0]: [
            part.get_payload(decode=True).decode()
            for part in message.message().walk()
            if part.get_content_type() == "text/calendar"
        ]
        for message in mail.outbox
    }
    # The confirmed seat's calendar is updated (a higher SEQUENCE); the one waiting has none.
    [calendar] = calendars["lea@example.org"]
    assert "SEQUENCE:1" in calendar and "METHOD:REQUEST" in calendar
    assert calendars["sami@example.org"] == []


def test_only_a_link_sent_to_the_contact_lists_their_other_registrations(client, home):
    """Anyone may type someone else's number in the form: the page it leads to (where
    the structure sends no SMS) shows that registration only, never the others of that
    number."""
    Structure.objects.update(sms_enabled=False)
    first = open_event(home, onsite=2)
    second = open_event(home, onsite=2, title="Journée sport")
    number = {"email": "", "phone": "06 12 34 56 78"}
    register(first, "Lea", **number)

    response = client.post(form_url(second), typed("Lea", **number))
    assert "Journée sport" in client.get(response["Location"]).content.decode()
    assert "Portes ouvertes" not in client.get(response["Location"]).content.decode()

    sent = manage_url(Registration.objects.get(date__title="Journée sport"), sent=True)
    assert "Portes ouvertes" in client.get(sent).content.decode()


def test_the_page_never_tells_whether_an_address_is_already_registered(
    client, home, django_capture_on_commit_callbacks
):
    """Registering again with an address answers exactly as registering a new one; only
    the address learns, by e-mail, that it was already registered (with the link to
    its registration), and nothing is written."""
    event = open_event(home, onsite=1)
    known = register(event, "Lea")
    mail.outbox.clear()

    def answer(email):
        client.cookies.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(form_url(event), typed("Léa", email=email))
        html = client.get(response["Location"]).content.decode()
        return response.status_code, response["Location"], html.replace(email, "@")

    assert answer("lea@example.org") == answer("ines@example.org")
    assert Registration.objects.filter(young_person__email="lea@example.org").count() == 1
    [told] = [message for message in mail.outbox if message.to == ["lea@example.org"]]
    assert "déjà inscrit" in told.subject
    token = re.search(r"/inscription/gerer/([^/\s]+)/", told.body).group(1)
    link = read_registration_token(token, Structure.default())
    assert (link.registration, link.sent) == (known, True)
    assert Registration.objects.get(young_person__email="ines@example.org").status == "waiting"


def test_the_page_never_tells_whether_a_number_is_already_registered(
    client, home, sms_outbox, django_capture_on_commit_callbacks
):
    """A number alone, where the structure sends SMS: registering again answers exactly
    as registering a new number; only that number learns, by one SMS of one segment,
    that it was already registered, with the link to its registration."""
    structure = Structure.default()
    assert structure.sends_sms
    event = open_event(home, onsite=1)
    known = register(event, "Lea", email="", phone="06 12 34 56 78")
    sms_outbox.clear()

    def answer(phone):
        client.cookies.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(form_url(event), typed("Léa", email="", phone=phone))
        html = client.get(response["Location"]).content.decode()
        shown = display_phone(normalise_contact("", phone)[1])
        return response.status_code, response["Location"], html.replace(shown, "#")

    twice = answer("06 12 34 56 78"), answer("06 12 34 56 78")
    assert twice[0] == answer("06 98 76 54 32") == twice[1]
    assert "Regarde dans les SMS du #\u00a0:" in twice[0][2]
    assert Registration.objects.filter(young_person__phone="+33612345678").count() == 1
    [told] = [message for message in sms_outbox if message.to == "+33612345678"]
    assert told.text.startswith("Lea, tu es déjà inscrit.e : Portes ouvertes")
    assert gsm7.fits_one_segment(told.text)
    code = told.text.split("/r/")[1].split()[0].rstrip(".")
    token = client.get(f"/r/{code}")["Location"].split("/inscription/gerer/")[1].split("/")[0]
    assert read_registration_token(token, structure).registration == known
    waiting = Registration.objects.get(young_person__phone="+33698765432")
    assert waiting.status == Status.WAITING
    [news] = [message for message in sms_outbox if message.to == "+33698765432"]
    assert "liste d'attente" in news.text


def test_a_number_the_structure_cannot_text_is_answered_on_the_page(client, home):
    """Without SMS, a number has no private channel: the page says the outcome."""
    Structure.objects.update(sms_enabled=False)
    event = open_event(home, onsite=1)

    response = client.post(form_url(event), typed("Sami", email="", phone="06 12 34 56 78"))

    assert "/inscription/gerer/" in response["Location"]


SMS_HINTS = (
    "Avec un numéro de portable, on te confirme ton rendez-vous et on te le rappelle par SMS.",
    "Avec un numéro de portable, nous te prévenons par SMS quand ta place est confirmée "
    "ou proposée.",
)


def contact_part(response):
    """The first name, the contact and the consent as the page shows them, the sentence
    saying which SMS we send (one for each page) left out."""
    html = response.content.decode()
    start = html.index('<div class="field', html.index("booking-form"))
    contact = html[start : html.index("</fieldset>", html.index('id="champ-contact"'))]
    consent = html[html.rindex('<div class="field', 0, html.index('name="consent"')) :]
    consent = consent[: consent.index('<div class="honeypot')]
    for hint in SMS_HINTS:
        contact = contact.replace(hint, "")
    for purpose in ("ce rendez-vous", "mon inscription"):
        consent = consent.replace(purpose, "#")
    return " ".join(contact.split()), " ".join(consent.split())


@pytest.mark.parametrize(
    "details",
    [
        {"first_name": "", "email": "", "phone": "", "consent": ""},
        {"first_name": "Léa", "email": "pas-une-adresse", "phone": "0123"},
    ],
)
def test_the_form_asks_for_the_contact_as_the_booking_step_does(
    client, home, samira, individuel, structure, details
):
    from ..flow_support import choices, free_slots, post_booking

    event = open_event(home)
    journey = choices(samira, individuel, structure, free_slots(samira)[0])

    booking = post_booking(client, journey, **details)
    registering = client.post(form_url(event), typed(**details))

    assert booking.status_code == registering.status_code == 400
    assert contact_part(booking) == contact_part(registering)
    assert all(
        hint in booking.content.decode() + registering.content.decode() for hint in SMS_HINTS
    )
