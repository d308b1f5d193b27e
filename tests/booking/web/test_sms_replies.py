"""STOP answered to one of our text messages, posted by the provider to a secret
address: that number gets no SMS any more, from any structure."""

import json

import pytest

from booking.models import YoungPerson

from ..factories import YoungPersonFactory

SECRET = "a-long-random-webhook-secret"
URL = f"/rendez-vous/sms/{SECRET}/reponses/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.SMS_WEBHOOK_SECRET = SECRET


def stopped(person):
    person.refresh_from_db()
    return person.sms_stopped_at is not None


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop. ", "ARRET", "arrêt"])
def test_stop_as_a_form_stops_the_number(client, db, word):
    person = YoungPersonFactory(phone="+33781234567")
    response = client.post(URL, {"from": "33781234567", "text": word})
    assert response.status_code == 204
    assert stopped(person)


def test_stop_as_json_stops_the_number_in_every_structure(client, db, other_structure):
    lens = YoungPersonFactory(phone="+33781234567")
    sud = YoungPersonFactory(phone="+33781234567", structure=other_structure)
    response = client.post(
        URL,
        json.dumps({"sender": "+33781234567", "content": "STOP"}),
        content_type="application/json",
    )
    assert response.status_code == 204
    assert stopped(lens) and stopped(sud)


def test_other_answers_change_nothing(client, db):
    person = YoungPersonFactory(phone="+33781234567")
    for payload in (
        {"from": "33781234567", "text": "Je serai en retard"},
        {"from": "33781234568", "text": "STOP"},
        {"from": "not a number", "text": "STOP"},
        {"text": "STOP"},
    ):
        assert client.post(URL, payload).status_code == 204
    bad = client.post(URL, "{", content_type="application/json")
    assert bad.status_code == 204
    assert not stopped(person)


def test_a_wrong_or_missing_secret_is_not_found(client, db, settings):
    person = YoungPersonFactory(phone="+33781234567")
    wrong = client.post("/rendez-vous/sms/guess/reponses/", {"from": "33781234567", "text": "STOP"})
    assert wrong.status_code == 404
    settings.SMS_WEBHOOK_SECRET = ""
    assert client.post(URL, {"from": "33781234567", "text": "STOP"}).status_code == 404
    assert not stopped(person)
    assert not YoungPerson.objects.filter(sms_stopped_at__isnull=False).exists()


def test_only_posts_are_taken(client, db):
    assert client.get(URL).status_code == 405
