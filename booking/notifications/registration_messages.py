"""What the messages about a registration say (`registrations` records them;
`delivery` sends them): the e-mail with its .ics, and the SMS of one segment; and
staff's message about the date, by either."""

from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from booking.calendars import ics
from booking.models import Notification, Registration
from booking.services.registrations import position
from booking.services.signals import RegistrationChange
from booking.services.sms import date_message_text, registration_text
from booking.services.tokens import make_registration_token, registration_short_url
from core.dates import local_when

Change = RegistrationChange
# The registration's state each message is about: news a later change replaced is not
# sent (an offer already answered, a confirmation of a registration since cancelled).
CURRENT_STATUS = {
    Change.CONFIRMED: (Registration.Status.CONFIRMED,),
    Change.WAITING: (Registration.Status.WAITING,),
    Change.OFFERED: (Registration.Status.OFFERED,),
    Change.MOVED: Registration.LIVE_STATUSES,
    Change.ALREADY_REGISTERED: Registration.LIVE_STATUSES,
}
CANCELLING = (Change.CANCELLED, Change.EVENT_CANCELLED)


def is_outdated(notification, now):
    """Nobody to write to any more, or news a later change replaced, or a date over."""
    registration = notification.registration
    person = registration.young_person
    if person is None:
        return True
    if notification.channel == Notification.Channel.SMS:
        if not person.phone or person.sms_stopped_at or not registration.structure.sms_enabled:
            return True
    elif not person.email:
        return True
    if notification.date_message_id is not None:
        # Staff's news is for those still on the date, before it starts.
        return not registration.is_live or registration.date.start <= now
    statuses = CURRENT_STATUS.get(notification.kind)
    if statuses is None:
        return False
    return (
        notification.sequence != registration.sequence
        or registration.status not in statuses
        or registration.date.start <= now
    )


def build_text(notification):
    registration = notification.registration
    structure = registration.structure
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        if notification.date_message_id is not None:
            return date_message_text(
                registration.date,
                notification.date_message.text,
                registration_short_url(registration),
                first_name=registration.young_person.first_name,
            )
        return registration_text(
            registration,
            notification.kind,
            registration_short_url(registration),
            position=position(registration),
        )


def build_message(notification):
    """The e-mail, in the site's language and its structure's time zone: plain text,
    simple HTML, and the date's .ics for a confirmation, a move or a cancellation."""
    registration = notification.registration
    structure = registration.structure
    person = registration.young_person
    kind = notification.kind
    token = make_registration_token(registration, sent=True)
    manage_url = structure.public_url + reverse("booking:registration", args=[token])
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        values = {"event": registration.date.title, "when": local_when(registration.date.start)}
        subjects = {
            Change.CONFIRMED: _("Your seat for %(event)s on %(when)s is confirmed"),
            Change.WAITING: _("You are on the waiting list for %(event)s on %(when)s"),
            Change.OFFERED: _("A seat is free for you: %(event)s on %(when)s"),
            Change.EXPIRED: _("The seat offered for %(event)s has gone to the next person"),
            Change.CANCELLED: _("Your registration for %(event)s on %(when)s is cancelled"),
            Change.MOVED: _("%(event)s has moved to %(when)s"),
            Change.EVENT_CANCELLED: _("%(event)s on %(when)s is cancelled"),
            Change.MESSAGE: _("A message about %(event)s on %(when)s"),
        }
        context = {
            "kind": kind.removeprefix("reg_"),
            "registration": registration,
            "event": registration.date.event,
            "person": person,
            "position": position(registration),
            "manage_url": manage_url,
            "accept_url": f"{manage_url}#reponse",
            "site_name": structure.name,
        }
        template = "registration"
        if notification.date_message_id is not None:
            template, context["text"] = "date_message", notification.date_message.text
        text = render_to_string(f"booking/emails/{template}.txt", context)
        html = render_to_string(f"booking/emails/{template}.html", context)
        method = None
        if kind in CANCELLING:
            method = ics.CANCEL
        elif kind in (Change.CONFIRMED, Change.MOVED) and (
            registration.status == Registration.Status.CONFIRMED
        ):
            method = ics.REQUEST
        calendar = (
            ics.registration_calendar(registration, method=method, manage_url=manage_url)
            if method
            else None
        )
    message = EmailMultiAlternatives(
        subject=subjects[kind] % values,
        body=text,
        from_email=structure.from_email,
        to=[person.email],
        reply_to=structure.reply_to,
        headers={
            "Message-ID": f"<{registration.uuid}.{kind}.{notification.sequence}@{structure.domain}>"
        },
    )
    message.attach_alternative(html, "text/html")
    if calendar is not None:
        part = MIMEText(calendar.decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="evenement.ics")
        message.attach(part)
    return message
