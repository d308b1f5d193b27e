"""The signed links of a speed meeting, in booking's style (booking.services.tokens):
tampered or unknown raises InvalidLink, too old ExpiredLink, and a row of another
structure is not found on this one's site.

- the pros' link, one per meeting, that staff send the employers and counsellors they
  invite: it carries the meeting's `pros_key` (a new key ends the links sent so far)
  and registers until the date starts;
- a pro's own link (their table, what they entered), until a month after the date,
  for the choices after the day;
- the big screen's, one per meeting, opened on the room's computer without signing in,
  until the date ends.

A young person's schedule and wishes are reached by their registration's own link
(`booking.services.tokens.make_registration_token`).
"""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from booking.services.tokens import ExpiredLink, InvalidLink

from ..models import Pro, SpeedMeeting

PROS_SALT = "eventdays.speed.pros"
PRO_SALT = "eventdays.speed.pro"
SCREEN_SALT = "eventdays.speed.screen"
PRO_LINK_AFTER_END = timedelta(days=31)


def pros_token(meeting):
    return signing.dumps({"m": meeting.pk, "k": meeting.pros_key}, salt=PROS_SALT)


def read_pros_token(token, structure, *, now=None):
    """The meeting whose pros register by this link: refused once the date started."""
    payload = _payload(token, PROS_SALT)
    meeting = _meeting(payload, structure)
    if payload.get("k") != meeting.pros_key:
        raise InvalidLink
    if (now or timezone.now()) >= meeting.date.start:
        raise ExpiredLink
    return meeting


def pro_token(pro):
    return signing.dumps({"p": pro.uuid.hex}, salt=PRO_SALT)


def read_pro_token(token, structure, *, now=None):
    payload = _payload(token, PRO_SALT)
    try:
        pro = Pro.objects.select_related("meeting__date__structure__site").get(
            uuid=payload["p"], meeting__date__structure=structure
        )
    except (Pro.DoesNotExist, KeyError, TypeError, ValueError, ValidationError):
        raise InvalidLink from None
    if (now or timezone.now()) > pro.meeting.date.end + PRO_LINK_AFTER_END:
        raise ExpiredLink
    return pro


def screen_token(meeting):
    return signing.dumps({"m": meeting.pk, "k": meeting.pros_key}, salt=SCREEN_SALT)


def read_screen_token(token, structure, *, now=None):
    payload = _payload(token, SCREEN_SALT)
    meeting = _meeting(payload, structure)
    if payload.get("k") != meeting.pros_key:
        raise InvalidLink
    if (now or timezone.now()) > meeting.date.end:
        raise ExpiredLink
    return meeting


def _payload(token, salt):
    try:
        payload = signing.loads(token, salt=salt)
    except signing.BadSignature:
        raise InvalidLink from None
    if not isinstance(payload, dict):
        raise InvalidLink
    return payload


def _meeting(payload, structure):
    try:
        return SpeedMeeting.objects.select_related("date__structure__site", "date__event").get(
            pk=int(payload["m"]), date__structure=structure
        )
    except (SpeedMeeting.DoesNotExist, KeyError, TypeError, ValueError, OverflowError):
        raise InvalidLink from None
