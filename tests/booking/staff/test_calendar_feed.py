"""The admin page where counsellors make the secret address of their calendar feed."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from booking.models import Counsellor

from ..factories import UserFactory

PAGE = "booking_calendar_feed:index"
FEED_PATH = re.compile(r"/rendez-vous/agenda/[A-Za-z0-9_-]+\.ics")


def site_language(msgid, **values):
    """The admin speaks the site's language to users who chose none."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(msgid) % values


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def shown_feed_paths(response):
    return set(FEED_PATH.findall(response.content.decode()))


def feed_hash(counsellor):
    return Counsellor.objects.get(pk=counsellor.pk).calendar_feed_token_hash


def test_a_counsellor_creates_the_address_sees_it_once_and_regenerates_it(samia):
    client = signed_in(samia.user)
    page = client.get(reverse(PAGE))
    assert page.status_code == 200
    assert site_language("Create my calendar address") in page.content.decode()
    assert reverse(PAGE) in client.get(reverse("wagtailadmin_home")).content.decode(), "menu"

    created = client.post(reverse(PAGE), {"counsellor": samia.pk})

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    [path] = shown_feed_paths(created)
    html = created.content.decode()
    assert f'readonly value="http://localhost{path}"' in html, "the structure's address"
    assert f'href="webcal://localhost{path}"' in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F" in html
    assert Client().get(path).status_code == 200

    later = client.get(reverse(PAGE))
    assert shown_feed_paths(later) == set(), "shown only once"
    assert site_language("Regenerate the address") in later.content.decode()

    [new_path] = shown_feed_paths(client.post(reverse(PAGE), {"counsellor": samia.pk}))
    assert new_path != path
    assert Client().get(path).status_code == 404
    assert Client().get(new_path).status_code == 200


def test_a_counsellor_cannot_see_or_change_someone_elses_address(samia, julien):
    client = signed_in(samia.user)

    assert client.get(reverse(PAGE), {"counsellor": julien.pk}).status_code == 404
    assert client.post(reverse(PAGE), {"counsellor": julien.pk}).status_code == 404
    assert feed_hash(julien) == ""

    client.post(reverse(PAGE))
    assert feed_hash(samia) != "" and feed_hash(julien) == "", "no choice means one's own"


def test_a_manager_makes_the_address_of_any_counsellor(manager, julien):
    client = signed_in(manager)
    page = client.get(reverse(PAGE), {"counsellor": julien.pk})
    assert page.status_code == 200
    created = site_language("Create the calendar address of %(name)s", name="Julien")
    assert created in page.content.decode()

    [path] = shown_feed_paths(client.post(reverse(PAGE), {"counsellor": julien.pk}))

    assert feed_hash(julien) != ""
    assert Client().get(path).status_code == 200


@pytest.mark.parametrize("typed", ["²", "abc", "1.5", "-1", "999999", "9" * 30, "1\x00"])
def test_a_manager_asking_for_no_counsellor_is_told_so_in_plain_words(manager, julien, typed):
    response = signed_in(manager).get(reverse(PAGE), {"counsellor": typed})

    assert response.status_code == 200
    told = site_language(
        "No counsellor matches “%(value)s”: choose one from the list.", value=typed
    )
    assert escape(told) in response.content.decode()
    assert signed_in(manager).post(reverse(PAGE), {"counsellor": typed}).status_code == 404
    assert shown_feed_paths(response) == set()


@pytest.mark.parametrize("typed", ["²", "abc", "9" * 30])
def test_a_counsellor_asking_for_a_malformed_counsellor_is_not_found(samia, typed):
    client = signed_in(samia.user)

    assert client.get(reverse(PAGE), {"counsellor": typed}).status_code == 404
    assert client.post(reverse(PAGE), {"counsellor": typed}).status_code == 404
    assert feed_hash(samia) == ""


def test_staff_who_are_neither_counsellor_nor_manager_are_turned_away(db):
    # Admin access, but no counsellor row.
    user = UserFactory(username="editor", groups=["Conseillers"])
    client = signed_in(user)

    response = client.get(reverse(PAGE))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.post(reverse(PAGE)).status_code == 302
    assert reverse(PAGE) not in client.get(reverse("wagtailadmin_home")).content.decode()


# How the counsellor is told of their appointments (Counsellor.told) -------------------


def told_of(counsellor):
    return Counsellor.objects.get(pk=counsellor.pk).told


def checked_choice(response):
    [value] = re.findall(r'<input[^>]*name="told"[^>]*value="(\w+)"[^>]*checked', text(response))
    return value


def text(response):
    return response.content.decode()


def test_a_counsellor_chooses_the_daily_digest_on_their_page(samia):
    client = signed_in(samia.user)
    page = client.get(reverse(PAGE))
    assert site_language("How you are told of your appointments") in text(page)
    assert checked_choice(page) == "each_change", "the default"

    saved = client.post(reverse(PAGE), {"counsellor": samia.pk, "told": "daily_digest"})

    assert saved.status_code == 302
    assert told_of(samia) == Counsellor.Told.DAILY_DIGEST
    shown = client.get(saved["Location"])
    assert checked_choice(shown) == "daily_digest"
    assert "Enregistré : Un récapitulatif chaque matin à 7 h 30." in text(shown)


def test_a_counsellor_cannot_choose_for_someone_else(samia, julien):
    response = signed_in(samia.user).post(reverse(PAGE), {"counsellor": julien.pk, "told": "none"})
    assert response.status_code == 404
    assert told_of(julien) == Counsellor.Told.EACH_CHANGE


def test_a_manager_chooses_for_any_counsellor_and_a_wrong_choice_is_explained(manager, julien):
    client = signed_in(manager)
    wrong = client.post(reverse(PAGE), {"counsellor": julien.pk, "told": "sms"})
    assert wrong.status_code == 200
    assert 'id="told-errors"' in text(wrong)
    assert "Sélectionnez un choix valide" in text(wrong)
    assert told_of(julien) == Counsellor.Told.EACH_CHANGE

    saved = client.post(reverse(PAGE), {"counsellor": julien.pk, "told": "none"})
    assert saved.status_code == 302
    assert told_of(julien) == Counsellor.Told.NONE
