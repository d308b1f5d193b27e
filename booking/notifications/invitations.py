"""Sending an invitation's link, by the channel it was made for.

`on_invitation_sent` (connected in BookingConfig.ready) looks the channel up in
SENDERS, `send(invitation, link)` for each. Each sender queues a django-tasks task, so
no request waits on the mail server or the SMS provider; an SMS asked for at night
waits for the morning (core.sms.hours) where the task queue can defer it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from booking.models import Invitation
from booking.services.sms import sms_text_for_invitation
from core import sms
from core.dates import local_day
from core.sms.hours import next_sending_time

from .refusals import send_plain_email


def send_by_email(invitation, link):
    structure = invitation.structure
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        context = {
            "counsellor": invitation.counsellor.first_name,
            "format": invitation.format.name,
            "link": link,
            "until": local_day(invitation.expires_at),
            "site_name": structure.name,
        }
        subject = _("%(counsellor)s invites you to book an appointment") % context
        body = render_to_string("booking/emails/invitation.txt", context)
    send_plain_email.enqueue(invitation.contact, subject, body, structure.from_email)


@task()
def send_text(to, text, sender):
    sms.send_sms(to, text, sender=sender)


def send_by_sms(invitation, link):
    structure = invitation.structure
    with translation.override(settings.LANGUAGE_CODE):
        text = sms_text_for_invitation(
            structure_name=structure.name,
            counsellor_name=invitation.counsellor.first_name,
            link=link,
        )
    now = timezone.now()
    morning = next_sending_time(now, structure.zone)
    sender = send_text
    if morning > now and sender.get_backend().supports_defer:
        sender = sender.using(run_after=morning)
    sender.enqueue(invitation.contact, text, structure.sms_sender_name)


SENDERS = {Invitation.Channel.EMAIL: send_by_email, Invitation.Channel.SMS: send_by_sms}


def on_invitation_sent(sender, invitation, link, **kwargs):
    SENDERS[invitation.channel](invitation, link)
