"""Sending an invitation's link, by the channel it was made for, through the outbox:
`on_invitation_sent` (connected in BookingConfig.ready, called in the invitation's
transaction) records one `Notification` for it, queued after the commit. So the link
is retried like any e-mail or SMS, sent once, never at night by SMS, and staff see on
the invitations page whether it left. What it says: invitation_messages."""

from django.utils import timezone

from booking.models import Notification
from core.sms.hours import next_sending_time

from .outbox import record


def on_invitation_sent(sender, invitation, **kwargs):
    row = {"invitation": invitation, "kind": "invitation", "channel": invitation.channel}
    if invitation.channel == Notification.Channel.SMS:
        row["next_attempt_at"] = next_sending_time(timezone.now(), invitation.structure.zone)
    return record(row, once=False)
