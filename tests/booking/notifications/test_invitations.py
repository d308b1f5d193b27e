"""An invitation's link goes through the outbox like the booking notices: recorded with
the invitation, sent once after the commit, retried when the mail server or the SMS
provider fails, never by SMS at night, never once it is pointless; staff see on the
invitations page what became of it."""

import json
from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from booking.models import Invitation, Notification
from booking.notifications import delivery
from booking.services.invitations import invite
from booking.services.sms import stop_text_messages
from structures.models import Structure

from ..factories import YoungPersonFactory, paris

FAILING_EMAIL = "tests.booking.flow_support.FailingEmailBackend"
PAGE = reverse("booking_invitations:index")


@pytest.fixture
def samira_client(client, samira):
    client.force_login(samira.user)
    return client


def invited(samira, individuel, contact="lea@example.org", **kwargs):
    return invite(
        counsellor=samira, format=individuel, contact=contact, created_by=samira.user, **kwargs
    )


def message_of(invitation):
    return Notification.objects.get(invitation=invitation)


def test_the_link_is_recorded_with_the_invitation_and_sent_once_after_the_commit(
    samira, individuel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invited(samira, individuel)
    assert mail.outbox == [], "nothing sent before the commit"
    row = message_of(invitation)
    assert (row.kind, row.channel, row.status) == ("invitation", "email", "pending")

    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["lea@example.org"]
    assert "Samira" in message.subject
    assert "/rendez-vous/invitation/" in message.body
    assert message_of(invitation).status == "sent"
    assert delivery.deliver(row.pk) is None, "never twice"
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 1


def test_an_invitation_rolled_back_leaves_no_message(samira, individuel):
    with pytest.raises(RuntimeError), transaction.atomic():
        invited(samira, individuel)
        raise RuntimeError("the page failed after inviting")
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_a_mail_server_down_is_retried_and_staff_see_it(
    samira, samira_client, individuel, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_EMAIL
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invited(samira, individuel)
    row = message_of(invitation)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "Échec, nouvel essai prévu" in samira_client.get(PAGE).content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    call_command("send_pending_notifications")

    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    assert message_of(invitation).status == "sent"
    assert "Envoyée" in samira_client.get(PAGE).content.decode()


def test_an_sms_invitation_waits_for_the_morning(
    samira, individuel, settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.SMS_QUIET_HOURS = (time(20), time(8))
    evening = paris(f"{timezone.localdate() + timedelta(days=1)} 21:30")
    morning = evening.replace(hour=8, minute=0) + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invited(samira, individuel, contact="06 12 34 56 78")
    row = message_of(invitation)

    assert delivery.deliver(row.pk, now=evening) == "pending"
    assert sms_outbox == []
    row.refresh_from_db()
    assert (row.next_attempt_at, row.attempts) == (morning, 0)
    assert delivery.deliver(row.pk, now=morning) == "sent"
    [message] = sms_outbox
    assert message.to == "+33612345678"
    assert "/rendez-vous/invitation/" in message.text
    assert message_of(invitation).segments == 1


def test_a_used_or_expired_invitation_or_a_stopped_number_is_not_sent(
    samira, individuel, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        used = invited(samira, individuel, contact="used@example.org")
        expired = invited(samira, individuel, contact="late@example.org")
        invited(samira, individuel, contact="06 12 34 56 78")
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    stop_text_messages(YoungPersonFactory(phone="+33612345678"))

    call_command("send_pending_notifications")

    assert mail.outbox == [] and sms_outbox == []
    assert set(Notification.objects.values_list("status", flat=True)) == {"skipped"}


def test_staff_see_whether_an_invitation_sms_reached_the_phone(
    samira, samira_client, individuel, settings, django_capture_on_commit_callbacks
):
    """The SMS Factor report names the invitation's SMS like any other; one that never
    reached the phone has no other contact to try."""
    settings.SMS_WEBHOOK_SECRET = "secret"
    settings.SMS_BACKEND = "core.sms.backends.smsfactor.SmsBackend"
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invited(samira, individuel, contact="06 12 34 56 78")
    Notification.objects.filter(invitation=invitation).update(
        status="sent", provider_message_id="14672468"
    )

    with django_capture_on_commit_callbacks(execute=True):
        reported = samira_client.post(
            "/rendez-vous/sms/secret/accuses/",
            json.dumps({"ticket": "14672468", "status": "2"}),
            content_type="application/json",
        )

    assert reported.status_code == 204
    assert message_of(invitation).delivery == "undelivered"
    assert mail.outbox == []
    assert "SMS non distribué le " in samira_client.get(PAGE).content.decode()


def test_a_structure_that_stopped_sending_sms_sends_no_invitation_sms(
    samira, individuel, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = invited(samira, individuel, contact="06 12 34 56 78")
    lens = Structure.default()
    lens.sms_enabled = False
    lens.save()
    call_command("send_pending_notifications")
    assert sms_outbox == []
    assert message_of(invitation).status == "skipped"
