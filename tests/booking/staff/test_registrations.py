"""The staff's pages of event registrations: each date with its seats, and who is
registered, offered a seat or waiting; for managers and counsellors of the structure,
never another structure's, in the same queries whatever the number of people."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking.models import DateMessage, EventDate, Notification, Registration, SeatPool
from booking.services import privacy, registrations
from booking.services.signals import Actor
from core.sms import gsm7
from tests.support import HOSTILE_VALUES

from ..factories import UserFactory, YoungPersonFactory
from ..registrations_support import open_event, register

Status = Registration.Status
pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"booking_registrations:{name}", args=args)


@pytest.fixture
def full_event(home):
    """Two seats on site: Lea holds one, Ines is offered the one Sami left, Yanis waits."""
    event = open_event(home, onsite=2, offer_hours=24, offer_cutoff_hours=3)
    register(event, "Lea")
    sami = register(event, "Sami")
    register(event, "Ines")
    register(event, "Yanis")
    registrations.cancel_registration(sami, by=Actor.PERSON)
    return event


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_each_date_with_its_seats_and_the_menu_leads_there(
    manager_client, full_event
):
    page = text_of(manager_client.get(url("index")))
    menu = text_of(manager_client.get("/admin/"))

    date = EventDate.objects.get()
    assert f'href="{url("date", date.pk)}"' in page
    assert "Sur place\u00a0: confirmées 1/2, proposées 1, en attente 1" in page
    assert url("index") in menu


def test_the_date_shows_who_holds_an_offer_until_when_and_who_waits_in_which_place(
    manager_client, full_event, home
):
    register(full_event, "Nour")
    date = EventDate.objects.get()
    page = text_of(manager_client.get(url("date", date.pk)))

    offered = Registration.objects.get(status=Status.OFFERED)
    assert "lea@example.org" in page
    assert "Place proposée — jusqu’au" in page
    assert offered.young_person.first_name in page
    assert page.index("Yanis") < page.index("Nour")
    assert "n°\u00a01" in page and "n°\u00a02" in page
    # Sami left: below, with those who are no longer on the list.
    assert page.index("Sami") > page.index("Nour")


def test_only_the_structure_s_staff_see_its_dates(
    client, samira, full_event, other_structure, manager_client
):
    date = EventDate.objects.get()
    outsider = UserFactory(is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    assert client.get(url("index"))["Location"] == "/admin/"  # Wagtail: not allowed

    counsellor = Client()
    counsellor.force_login(samira.user)
    assert counsellor.get(url("date", date.pk)).status_code == 200

    elsewhere = EventDate.objects.create(
        structure=other_structure, title="Ailleurs", key="date-9", start=date.start, end=date.end
    )
    assert manager_client.get(url("date", elsewhere.pk)).status_code == 404
    assert "Ailleurs" not in text_of(manager_client.get(url("index")))


def fill(event, count):
    """`count` registrations on the event's first date, a quarter each confirmed,
    offered, waiting and present (written directly: only their listing is tested here)."""
    register(event, "Premier")
    date = EventDate.objects.get(event=event)
    pool = date.pools.get()
    statuses = [Status.CONFIRMED, Status.OFFERED, Status.WAITING, Status.ATTENDED]
    deadline = timezone.now() + timedelta(hours=5)
    people = [
        YoungPersonFactory(first_name=f"P{n}", email=f"p{n}@example.org") for n in range(count - 1)
    ]
    Registration.objects.bulk_create(
        Registration(
            date=date,
            pool=pool,
            young_person=person,
            status=statuses[n % 4],
            source=Registration.Source.WEB,
            offer_expires_at=deadline if statuses[n % 4] == Status.OFFERED else None,
        )
        for n, person in enumerate(people)
    )
    SeatPool.objects.filter(pk=pool.pk).update(capacity=None)
    return date


@pytest.mark.parametrize("name", ["index", "date", "check_in"])
def test_the_pages_cost_the_same_queries_for_3_and_300_registrations(
    manager_client, home, name, django_assert_max_num_queries
):
    small = fill(open_event(home, onsite=400, title="Petit"), 3)
    large = fill(open_event(home, onsite=400, title="Grand"), 300)
    counts = []
    for date in (small, large):
        args = () if name == "index" else (date.pk,)
        manager_client.get(url(name, *args))  # the session and permissions read once
        with django_assert_max_num_queries(17) as captured:
            assert manager_client.get(url(name, *args)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# Registering someone at the desk ---------------------------------------------------


def desk():
    return {"first_name": "Maëlle", "email": "", "phone": "", "mode": "on_site", "party_size": 1}


def test_staff_register_someone_who_gets_the_same_notice_as_online(
    manager_client, home, django_capture_on_commit_callbacks, mailoutbox
):
    event = open_event(home, onsite=1)
    register(event, "Lea")
    date = EventDate.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            url("add", date.pk), {**desk(), "email": "maelle@example.org", "party_size": 2}
        )

    assert response["Location"] == url("date", date.pk)
    registration = Registration.objects.get(young_person__first_name="Maëlle")
    assert (registration.status, registration.source, registration.party_size) == (
        Status.WAITING,
        Registration.Source.STAFF,
        2,
    )
    assert mailoutbox[-1].to == ["maelle@example.org"]
    assert "liste d’attente" in mailoutbox[-1].subject
    page = text_of(manager_client.get(url("date", date.pk)))
    assert "Maëlle est sur la liste d’attente, n°\u00a01." in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "", "email": ""}, "numéro de portable"),
        ({"phone": "01 23 45 67 89"}, "vérifiez-le"),
        ({"email": "pas-une-adresse"}, "vérifiez-la"),
        ({"email": "lea@example.org"}, "déjà inscrite ou inscrit"),
    ],
)
def test_a_refusal_says_why_in_french_and_keeps_what_was_typed(
    manager_client, home, fields, message
):
    event = open_event(home, onsite=3)
    register(event, "Lea")
    date = EventDate.objects.get()

    response = manager_client.post(url("add", date.pk), {**desk(), **fields})

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Maëlle"' in page
    assert Registration.objects.count() == 1


# Messaging everyone on the date ----------------------------------------------------


def test_everyone_confirmed_offered_or_waiting_gets_the_message_by_their_channel(
    manager_client, full_event, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    register(full_event, "Nour", email="", phone="06 12 34 56 78", preferred_channel="sms")
    date = EventDate.objects.get()
    mailoutbox.clear()
    text = "Rendez-vous salle B, au 1er étage."

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url("message", date.pk), {"text": text})

    assert response["Location"] == url("date", date.pk)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "ines@example.org",
        "lea@example.org",
        "yanis@example.org",
    ]
    assert text in mailoutbox[0].body
    assert "Un message au sujet de Portes ouvertes" in mailoutbox[0].subject
    [sms] = sms_outbox
    assert sms.to == "+33612345678"
    assert "Rendez-vous salle B, au 1er étage." in sms.text
    assert gsm7.fits_one_segment(sms.text)
    assert "Le message part vers 4 personnes." in text_of(manager_client.get(url("date", date.pk)))
    assert text in text_of(manager_client.get(url("message", date.pk)))


def test_a_message_too_long_for_one_sms_is_refused_and_kept(manager_client, full_event):
    date = EventDate.objects.get()
    text = (
        "La salle change : rendez-vous au gymnase municipal Jean-Jaurès, entrée par la "
        "rue de l'Église, derrière la mairie."
    )

    response = manager_client.post(url("message", date.pk), {"text": text})

    page = response.content.decode()
    assert response.status_code == 400
    assert "raccourcissez-le" in page
    assert "gymnase municipal" in page
    assert not DateMessage.objects.exists()
    assert not Notification.objects.filter(kind="reg_message").exists()


# The spreadsheet -------------------------------------------------------------------


def test_the_csv_lists_each_registration_and_never_runs_a_formula(
    manager_client, full_event, client
):
    register(full_event, "=HYPERLINK(1)", email="formule@example.org")
    date = EventDate.objects.get()

    response = manager_client.get(url("csv", date.pk))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Prénom;Adresse e-mail")
    assert len(lines) == 1 + 5
    lea = next(line for line in lines if line.startswith("Lea;"))
    assert lea.startswith("Lea;lea@example.org;;1;Sur place;Confirmé;")
    assert any(line.startswith("'=HYPERLINK(1);") for line in lines)
    assert "Yanis;yanis@example.org;;1;Sur place;Sur liste d’attente;1;" in "\n".join(lines)
    assert client.get(url("csv", date.pk)).status_code == 302  # signed out: to the login


# The check-in on the day -----------------------------------------------------------


def record(client, date, action, registration=None, q=""):
    data = {"action": action, "q": q}
    if registration is not None:
        data["registration"] = registration.pk
    return client.post(url("check_in_record", date.pk), data)


def test_staff_find_someone_by_first_name_tick_them_present_and_undo_it(manager_client, full_event):
    date = EventDate.objects.get()
    lea = Registration.objects.get(young_person__first_name="Lea")

    found = text_of(manager_client.get(url("check_in", date.pk), {"q": "le"}))
    response = record(manager_client, date, "present", lea, q="le")

    assert "Lea" in found and "Yanis" not in found
    assert response["Location"] == f"{url('check_in', date.pk)}?q=le#registration-{lea.pk}"
    lea.refresh_from_db()
    assert lea.status == Status.ATTENDED
    assert "1 présents sur 1 inscrits, 0 absents" in text_of(manager_client.get(url("index")))
    record(manager_client, date, "undo", lea)
    lea.refresh_from_db()
    assert lea.status == Status.CONFIRMED
    assert SeatPool.objects.get().seats_confirmed == 1


def test_a_walk_in_is_present_at_once_even_when_full_and_takes_no_seat(manager_client, full_event):
    date = EventDate.objects.get()
    pool = SeatPool.objects.get()
    assert pool.seats_left == 0

    response = manager_client.post(
        url("check_in", date.pk),
        {**desk(), "first_name": "Karim", "phone": "06 11 22 33 44", "party_size": 2},
    )

    assert response["Location"] == url("check_in", date.pk)
    walk_in = Registration.objects.get(young_person__first_name="Karim")
    assert (walk_in.status, walk_in.walk_in, walk_in.party_size) == (Status.ATTENDED, True, 2)
    pool.refresh_from_db()
    assert (pool.seats_confirmed, pool.seats_offered) == (1, 1)
    page = text_of(manager_client.get(url("check_in", date.pk)))
    assert "et 1 venu sans inscription" in page
    [exported] = privacy.export_person(walk_in.young_person)["registrations"]
    assert exported["came_without_registering"] is True
    record(manager_client, date, "undo", walk_in)
    walk_in.refresh_from_db()
    assert walk_in.status == Status.CANCELLED_BY_STAFF


@pytest.mark.parametrize(
    ("name", "contact"),
    [
        ("lea", {"email": "LEA@example.org"}),
        ("Lea", {"email": "autre@example.org", "phone": "06 11 22 33 44"}),
    ],
)
def test_a_walk_in_who_registered_is_ticked_present_not_added_twice(
    manager_client, full_event, name, contact
):
    date = EventDate.objects.get()
    lea = Registration.objects.get(young_person__first_name="Lea")
    YoungPerson = type(lea.young_person)
    YoungPerson.objects.filter(pk=lea.young_person_id).update(phone="+33611223344")

    response = manager_client.post(
        url("check_in", date.pk), {**desk(), "first_name": name, **contact}
    )
    again = manager_client.post(url("check_in", date.pk), {**desk(), "first_name": name, **contact})

    assert response["Location"] == f"{url('check_in', date.pk)}#registration-{lea.pk}"
    lea.refresh_from_db()
    assert (lea.status, lea.walk_in) == (Status.ATTENDED, False)
    assert not Registration.objects.filter(walk_in=True).exists()
    assert "Déjà inscrit·e\u00a0: marqué·e présent·e (Lea)." in text_of(
        manager_client.get(again["Location"])
    )
    assert "1 présents sur 1 inscrits, 0 absents" in text_of(manager_client.get(url("index")))


def test_a_walk_in_on_the_waiting_list_is_present_and_their_place_passes_on(
    manager_client, full_event
):
    date = EventDate.objects.get()

    manager_client.post(
        url("check_in", date.pk), {**desk(), "first_name": "Ines", "email": "ines@example.org"}
    )

    ines = Registration.objects.get(young_person__first_name="Ines")
    assert (ines.status, ines.walk_in) == (Status.ATTENDED, True)
    assert Registration.objects.get(young_person__first_name="Yanis").status == Status.OFFERED
    pool = SeatPool.objects.get()
    assert (pool.seats_confirmed, pool.seats_offered) == (1, 1)
    assert Registration.objects.filter(young_person__first_name="Ines").count() == 1


def test_a_walk_in_with_another_contact_or_first_name_is_counted_apart(manager_client, full_event):
    date = EventDate.objects.get()

    for name, email in (("Lea", "lea.b@example.org"), ("Sarah", "lea@example.org")):
        manager_client.post(
            url("check_in", date.pk), {**desk(), "first_name": name, "email": email}
        )

    assert Registration.objects.get(walk_in=False, young_person__first_name="Lea").status == (
        Status.CONFIRMED
    )
    assert Registration.objects.filter(walk_in=True, status=Status.ATTENDED).count() == 2


def test_a_walk_in_with_bad_details_is_refused_and_kept(manager_client, full_event):
    date = EventDate.objects.get()
    response = manager_client.post(
        url("check_in", date.pk), {**desk(), "first_name": "Karim", "phone": "12"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "vérifiez-le" in page and 'value="Karim"' in page
    assert not Registration.objects.filter(walk_in=True).exists()


def test_at_the_end_the_others_are_marked_absent(manager_client, full_event, home):
    date = EventDate.objects.get()
    lea = Registration.objects.get(young_person__first_name="Lea")
    offered = Registration.objects.get(status=Status.OFFERED)
    registrations.accept_offer(offered, sequence=offered.sequence)
    record(manager_client, date, "present", lea)

    record(manager_client, date, "absent")

    offered.refresh_from_db()
    assert offered.status == Status.NO_SHOW
    assert Registration.objects.get(young_person__first_name="Yanis").status == Status.WAITING
    figures = text_of(manager_client.get(url("date", date.pk)))
    assert "1 présents sur 2 inscrits, 1 absents" in figures


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_the_check_in_takes_any_search_or_id_without_failing(manager_client, full_event, value):
    date = EventDate.objects.get()

    assert manager_client.get(url("check_in", date.pk), {"q": value}).status_code == 200
    response = manager_client.post(
        url("check_in_record", date.pk), {"action": "present", "registration": value, "q": value}
    )
    assert response.status_code in (302, 404)
    assert not Registration.objects.filter(status=Status.ATTENDED).exists()


# Wagtail's history ------------------------------------------------------------------


def test_staff_cancel_a_registration_and_the_seat_goes_to_the_next(manager_client, full_event):
    date = EventDate.objects.get()
    lea = Registration.objects.get(young_person__first_name="Lea")

    response = manager_client.post(url("cancel", date.pk), {"registration": lea.pk})
    page = text_of(manager_client.get(response["Location"]))

    lea.refresh_from_db()
    assert lea.status == Status.CANCELLED_BY_STAFF
    assert Registration.objects.get(young_person__first_name="Yanis").status == Status.OFFERED
    assert "L’inscription de Lea est annulée." in page
    again = manager_client.post(url("cancel", date.pk), {"registration": lea.pk})
    assert "a changé entre-temps" in text_of(manager_client.get(again["Location"]))


def test_the_event_page_s_history_says_who_did_what_on_its_date_and_names_nobody(
    manager_client, manager, full_event, mailoutbox, admin_client
):
    date = EventDate.objects.get()
    lea = Registration.objects.get(young_person__first_name="Lea")
    manager_client.post(url("add", date.pk), {**desk(), "email": "maelle@example.org"})
    record(manager_client, date, "present", lea)
    record(manager_client, date, "undo", lea)
    manager_client.post(
        url("check_in", date.pk), {**desk(), "first_name": "Karim", "phone": "06 11 22 33 44"}
    )
    manager_client.post(url("message", date.pk), {"text": "Salle 2"})
    manager_client.get(url("csv", date.pk))
    offered = Registration.objects.get(status=Status.OFFERED)
    manager_client.post(url("cancel", date.pk), {"registration": offered.pk})
    record(manager_client, date, "absent")

    history = text_of(admin_client.get(reverse("wagtailadmin_pages:history", args=[full_event.pk])))

    when = timezone.localtime(date.start)
    for line in (
        "Inscription à l’accueil pour",
        "Présence notée pour",
        "Pointage annulé pour",
        "Venue sans inscription notée présente pour",
        "Message envoyé pour",
        "téléchargées (CSV)",
        "Inscription annulée pour",
        "1 personne notée absente pour",
    ):
        assert line in history, line
    assert manager.username in history and str(when.day) in history
    for personal in ("Maëlle", "maelle@", "Karim", "06 11", "Lea", "Ines", "Salle 2"):
        assert personal not in history, personal
