"""The secret address of a counsellor's calendar feed (the events are in booking.ics).

Google cannot send credentials, so the URL is the credential: a random token
(secrets.token_urlsafe, 256 bits) of which only the SHA-256 is stored. A leaked database
therefore does not open anyone's agenda, the full address can be shown only when it is
made, and making a new one revokes the old one (its hash is replaced).
"""

import hashlib
import secrets

from django.urls import reverse
from django.utils import timezone

from home.calendar_links import subscription_links

from .ics import site_url
from .models import Counsellor


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(counsellor, *, now=None):
    """A new feed address for `counsellor`; the previous one stops working at once."""
    token = secrets.token_urlsafe(32)
    counsellor.calendar_feed_token_hash = token_hash(token)
    counsellor.calendar_feed_created_at = now or timezone.now()
    counsellor.save(update_fields=["calendar_feed_token_hash", "calendar_feed_created_at"])
    return token


def has_feed(counsellor):
    return bool(counsellor.calendar_feed_token_hash)


def counsellor_for_token(token):
    """The counsellor whose current feed token this is, or None."""
    if not token:
        return None
    return Counsellor.objects.filter(calendar_feed_token_hash=token_hash(token)).first()


def feed_links(token):
    """https, webcal:// and Google links to the feed of this token."""
    return subscription_links(site_url() + reverse("booking:counsellor_feed", args=[token]))
