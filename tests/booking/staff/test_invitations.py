"""The invitations page: a counsellor invites someone to book with them, a manager for
any counsellor of the structure; the list shows what became of each."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from booking.models import Invitation
from booking.services.invitations import invite
from core.sms import gsm7

from ..factories import CounsellorFactory

PAGE = reverse("booking_invitations:index")


def test_a_counsellor_invites_someone_by_e_mail(
    samira_client, samira, individuel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = samira_client.post(
            PAGE, {"counsellor": samira.pk, "format": individuel.pk, "contact": "lea@example.org"}
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.counsellor, invitation.created_by) == (samira, samira.user)
    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    page = samira_client.get(PAGE).content.decode()
    assert "Valable jusqu’au" in page


def test_a_counsellor_invites_someone_by_sms_in_one_segment(
    samira_client, samira, individuel, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = samira_client.post(
            PAGE, {"counsellor": samira.pk, "format": individuel.pk, "contact": "06 12 34 56 78"}
        )

    assert response.status_code == 302
    assert Invitation.objects.get().contact == "+33612345678"
    (message,) = sms_outbox
    assert message.to == "+33612345678"
    assert "Samira" in message.text and "/rendez-vous/invitation/" in message.text
    assert gsm7.segments(message.text) == 1
    assert not mail.outbox


@pytest.mark.parametrize(
    ("contact", "said"),
    [
        ("lea@", "Cette adresse e-mail semble incorrecte"),
        ("03 21 00 00 00", "numéro de portable"),
    ],
)
def test_a_wrong_contact_is_said_and_kept(samira_client, samira, individuel, contact, said):
    response = samira_client.post(
        PAGE, {"counsellor": samira.pk, "format": individuel.pk, "contact": contact}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{contact}"' in page
    assert said in page
    assert not Invitation.objects.exists()


def test_a_structure_without_sms_invites_by_e_mail_only(samira_client, samira, individuel):
    structure = individuel.structure
    structure.sms_enabled = False
    structure.save()

    response = samira_client.post(
        PAGE, {"counsellor": samira.pk, "format": individuel.pk, "contact": "06 12 34 56 78"}
    )

    assert response.status_code == 400
    assert "ne peut pas envoyer de SMS" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_counsellor_invites_only_for_themselves_a_manager_for_anyone(
    samira_client, manager_client, samira, julien, individuel
):
    for_julien = {"counsellor": julien.pk, "format": individuel.pk, "contact": "a@example.org"}

    assert samira_client.post(PAGE, for_julien).status_code == 400
    assert manager_client.post(PAGE, for_julien).status_code == 302
    assert Invitation.objects.get().counsellor == julien


def test_a_counsellor_of_another_structure_is_turned_away(other_structure):
    stranger = Client()
    stranger.force_login(CounsellorFactory(structures=[other_structure], team=True).user)

    response = stranger.get(PAGE)

    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


def test_the_list_costs_the_same_however_many_invitations(
    samira_client, samira, individuel, django_assert_max_num_queries
):
    def sent(count):
        for number in range(count):
            invite(
                counsellor=samira,
                format=individuel,
                contact=f"p{number}@example.org",
                created_by=samira.user,
            )

    sent(1)
    samira_client.get(PAGE)
    with django_assert_max_num_queries(30) as one:
        samira_client.get(PAGE)
    sent(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = samira_client.get(PAGE).content.decode()
    assert page.count("Valable jusqu’au") == 6
