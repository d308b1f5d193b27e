"""Invitations: a counsellor sends a young person a link to book with them.

The link carries the invitation's id signed with SECRET_KEY (nothing secret is stored,
and the link can be built again, e.g. by an outbox that retries): unguessable, and
useless once the invitation is used or expired. Sending goes through the
`invitation_sent` signal (`signals`), sent in the invitation's transaction: the outbox
records its message there (booking.notifications.invitations) and sends it after the
commit, by e-mail or SMS.
"""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Invitation
from booking.models.invitations import DEFAULT_VALIDITY

from .contacts import normalise_contact
from .errors import InvalidDetails, InvitationUnusable
from .signals import send_invitation_sent

SALT = "booking.invitation"


def invite(*, counsellor, format, contact, created_by, now=None, validity=DEFAULT_VALIDITY):
    """Record an invitation to book with `counsellor` in `format` and send its link to
    `contact` (an e-mail address or a mobile number, read with the format's structure's
    phone rules) once the transaction commits. Raises InvalidDetails (field "contact")."""
    now = now or timezone.now()
    structure = format.structure
    if "@" in contact:
        email, phone = normalise_contact(contact, "", **structure.phone_rules)
    else:
        email, phone = normalise_contact("", contact, **structure.phone_rules)
    if not counsellor.formats.filter(pk=format.pk).exists():
        raise InvalidDetails(_("This counsellor does not offer this format."), field="format")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            counsellor=counsellor,
            format=format,
            channel=Invitation.Channel.EMAIL if email else Invitation.Channel.SMS,
            contact=email or phone,
            expires_at=now + validity,
            created_by=created_by,
        )
        send_invitation_sent(invitation)
    return invitation


def invitation_path(invitation):
    token = signing.dumps(invitation.pk, salt=SALT)
    return reverse("booking:invitation", args=[token])


def read_invitation(token, structure):
    """The invitation of `structure` this token names, or None when it names none."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("counsellor", "format")
        .filter(pk=pk, format__structure=structure)
        .first()
    )


def use_invitation(invitation, now):
    """Called by `bookings.book` inside its transaction: the invitation row is locked,
    so of two bookings through one invitation only the first gets it."""
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.usable(now):
        raise InvitationUnusable
    Invitation.objects.filter(pk=current.pk).update(used_at=now)
