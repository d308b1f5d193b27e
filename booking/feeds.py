"""The secret address of a counsellor's calendar feed (the events are in booking.ics).

Google cannot send credentials, so the URL is the credential: a random token
(secrets.token_urlsafe, 256 bits) of which only the SHA-256 is stored. A leaked database
therefore does not open anyone's agenda, the full address can be shown only when it is
made, and making a new one revokes the old one (its hash is replaced).
"""

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from .ics import site_url
from .models import Counsellor

GOOGLE_SUBSCRIBE_URL = "https://calendar.google.com/calendar/r?cid="


@dataclass(frozen=True)
class FeedLinks:
    https: str
    webcal: str
    google: str


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
    """The address to copy, the webcal:// one that Apple and Outlook desktop open
    directly, and Google's subscribe link, which only accepts the webcal form."""
    url = site_url() + reverse("booking:counsellor_feed", args=[token])
    webcal = "webcal://" + url.split("://", 1)[1]
    return FeedLinks(https=url, webcal=webcal, google=GOOGLE_SUBSCRIBE_URL + quote(webcal, safe=""))
