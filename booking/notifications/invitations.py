"""Sending an invitation's link, by the channel it was made for.

`on_invitation_sent` (connected in BookingConfig.ready) looks the channel up in
SENDERS: e-mail here; the SMS backend adds `Invitation.Channel.SMS` with a sender of
the same shape, `send(invitation, link)`. Each sender queues a django-tasks task, so no
request waits on the mail server.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from booking.models import Invitation
from core.dates import local_day


@task()
def send_email(to, subject, body, from_email=None):
    send_mail(subject, body, from_email, [to])


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
    send_email.enqueue(invitation.contact, subject, body, structure.from_email)


SENDERS = {Invitation.Channel.EMAIL: send_by_email}


def on_invitation_sent(sender, invitation, link, **kwargs):
    SENDERS[invitation.channel](invitation, link)
