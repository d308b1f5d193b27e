"""An invitation's link opens the journey on the counsellor's times in the chosen format;
the booking it leads to uses it up, and the link then says so instead of opening again."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from booking.models import Booking, Invitation
from booking.scheduling.listing import slot_key
from booking.services.invitations import invitation_path, invite

from ..flow_support import DETAILS, flow_url, free_slots


@pytest.fixture
def invitation(samira, individuel, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invite(
            counsellor=samira, format=individuel, contact="Lea@Example.org", created_by=manager
        )


def link_of(invitation):
    return invitation_path(invitation)


def test_the_invitation_goes_by_e_mail_with_a_link_that_opens_the_journey_preselected(
    client, invitation, samira, individuel
):
    assert (invitation.channel, invitation.contact) == ("email", "lea@example.org")
    assert invitation.expires_at - timezone.now() > timedelta(days=9, hours=23)
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "Samira" in message.subject
    link = next(line for line in message.body.splitlines() if "/invitation/" in line)
    # The link the e-mail carries itself (one signed a moment later may differ by its
    # second), followed as the person would.
    response = client.get(urlsplit(link).path)

    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert (query["conseiller"], query["format"]) == (["samira"], [individuel.slug])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["journey"].invitation == invitation
    token = query["invitation"][0]
    slot = free_slots(samira)[0]
    details_step = client.get(
        flow_url(
            conseiller="samira",
            format=individuel.slug,
            invitation=token,
            lieu=slot.place.pk,
            creneau=slot_key(slot),
        )
    )
    assert f'name="invitation" value="{token}"' in details_step.content.decode()


def test_booking_through_the_invitation_uses_it_up_and_the_link_cannot_be_replayed(
    client, invitation, samira, individuel, structure
):
    slot = free_slots(samira)[0]
    token = link_of(invitation).rstrip("/").rsplit("/", 1)[1]
    journey = {
        "conseiller": samira.slug,
        "format": individuel.slug,
        "invitation": token,
        "lieu": structure.pk,
        "creneau": slot_key(slot),
    }

    response = client.post(flow_url(), {**journey, **DETAILS})

    booking = Booking.objects.get()
    assert response.status_code == 303
    assert booking.source == Booking.Source.INVITATION
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    replayed = client.get(link_of(invitation))
    assert replayed.status_code == 410
    assert "celle-ci a déjà servi ou a expiré" in replayed.content.decode()

    second = client.post(
        flow_url(), {**journey, **DETAILS, "creneau": slot_key(free_slots(samira)[0])}
    )
    assert second.status_code == 303
    assert Booking.objects.latest("created_at").source == Booking.Source.WEB


def test_an_expired_a_tampered_or_another_structures_invitation_opens_nothing(
    client, invitation, other_structure, settings
):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    settings.ALLOWED_HOSTS = ["sud.localhost", "testserver"]

    assert client.get(link_of(invitation)).status_code == 410
    assert client.get(link_of(invitation)[:-3] + "xx/").status_code == 404
    assert client.get(link_of(invitation), headers={"host": "sud.localhost"}).status_code == 404
