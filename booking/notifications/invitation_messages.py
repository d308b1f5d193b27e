"""What an invitation's message says, by e-mail or SMS, built when it is sent (the
link is signed again each time: nothing secret is kept on the row), and when it has
become pointless: the invitation used, expired, or its number stopped SMS."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from booking.models import Notification, YoungPerson
from booking.services.invitations import invitation_path
from booking.services.sms import sms_text_for_invitation
from core.dates import local_day


def link(invitation):
    return invitation.structure.public_url + invitation_path(invitation)


def is_outdated(notification, now):
    invitation = notification.invitation
    if not invitation.usable(now):
        return True
    if notification.channel != Notification.Channel.SMS:
        return False
    stopped = YoungPerson.objects.filter(
        structure=invitation.structure, phone=invitation.contact, sms_stopped_at__isnull=False
    )
    return not invitation.structure.sms_enabled or stopped.exists()


def build_message(notification):
    """The e-mail: plain text, from its structure, in the site's language."""
    invitation = notification.invitation
    structure = invitation.structure
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        context = {
            "counsellor": invitation.counsellor.first_name,
            "format": invitation.format.name,
            "link": link(invitation),
            "until": local_day(invitation.expires_at),
            "site_name": structure.name,
        }
        subject = _("%(counsellor)s invites you to book an appointment") % context
        body = render_to_string("booking/emails/invitation.txt", context)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=structure.from_email,
        to=[invitation.contact],
        reply_to=structure.reply_to,
        headers={"Message-ID": f"<invitation.{invitation.pk}@{structure.domain}>"},
    )


def build_text(notification):
    """The SMS: one segment, like the rest (booking.services.sms)."""
    invitation = notification.invitation
    with translation.override(settings.LANGUAGE_CODE):
        return sms_text_for_invitation(
            structure_name=invitation.structure.name,
            counsellor_name=invitation.counsellor.first_name,
            link=link(invitation),
        )
