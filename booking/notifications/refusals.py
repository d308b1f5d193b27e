"""The e-mail that tells a contact why a booking they asked for was refused.

Some refusals depend on the contact's past bookings (`services.contacts.history_decides`):
the website and the API answer those requests all alike and send `booking_refused`
(connected in BookingConfig.ready), so the refusal is told only here, to the address
given, with what can be booked instead. A django-tasks task sends it, so no request
waits on the mail server; nothing was booked, so there is no Notification row to keep.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from booking.models import Format
from booking.services import find_person, is_first_meeting
from core.dates import local_when


@task()
def send_plain_email(to, subject, body, from_email=None):
    """A plain-text e-mail outside the outbox (a refusal), off the request."""
    send_mail(subject, body, from_email, [to])


def on_booking_refused(sender, email, error, *, start, format, place, again_url, **kwargs):
    """Queue the refusal e-mail to `email` (normalised): what was asked, why it was
    refused, and the formats that suit this person when the format was the reason; from
    the structure whose format was asked for, in its time zone."""
    structure = format.structure
    with translation.override(settings.LANGUAGE_CODE), timezone.override(structure.zone):
        context = {
            "when": local_when(start),
            "format": format,
            "place": place,
            "reason": error.message,
            "formats": _formats_that_suit(email, format.structure_id)
            if error.field == "format"
            else [],
            "again_url": again_url,
            "site_name": structure.name,
        }
        subject = _("Your appointment request on %(when)s") % {"when": context["when"]}
        body = render_to_string("booking/emails/refusal.txt", context)
    send_plain_email.enqueue(email, subject, body, structure.from_email)


def _formats_that_suit(email, structure_id):
    person = find_person(structure_id, email=email)
    first_meeting = person is None or is_first_meeting(person)
    offered = Format.objects.filter(
        structure_id=structure_id, active=True, counsellors__active=True
    ).distinct()
    return [fmt for fmt in offered.order_by("name") if fmt.allows_stage(first_meeting)]
