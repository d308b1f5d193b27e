"""Signed links with no account: a referee's for one station or court, the recruiters'
for a day's rosters. Each carries the row's secret, so renewing it revokes the link
(`services.renew_link`); they stop working, as booking's manage links do, a day after
the date ends."""

from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from booking.services.tokens import GRACE_AFTER_END, ExpiredLink, InvalidLink

from .models import Court, SportDay, Station

REFEREE_SALT = "eventdays.sport.referee"
RECRUITERS_SALT = "eventdays.sport.recruiters"
KINDS = {"s": Station, "c": Court}


def referee_path(referee):
    kind = "s" if isinstance(referee, Station) else "c"
    token = signing.dumps({"k": kind, "i": referee.pk, "s": referee.secret}, salt=REFEREE_SALT)
    return reverse("eventdays:sport_referee", args=[token])


def read_referee_token(token, structure, *, now=None):
    """The Station or Court of `structure` the token names; raises InvalidLink (tampered,
    revoked, another structure's) or ExpiredLink."""
    try:
        payload = signing.loads(token, salt=REFEREE_SALT)
        model = KINDS[payload["k"]]
        referee = model.objects.select_related("sport_day__date").get(
            pk=int(payload["i"]),
            secret=str(payload["s"]),
            sport_day__date__structure=structure,
        )
    except (
        signing.BadSignature,
        KeyError,
        TypeError,
        ValueError,
        Station.DoesNotExist,
        Court.DoesNotExist,
    ):
        raise InvalidLink from None
    _check_time(referee.sport_day, now)
    return referee


def recruiters_path(day):
    token = signing.dumps({"d": day.pk, "s": day.recruiter_secret}, salt=RECRUITERS_SALT)
    return reverse("eventdays:sport_recruiters", args=[token])


def read_recruiters_token(token, structure, *, now=None):
    try:
        payload = signing.loads(token, salt=RECRUITERS_SALT)
        day = SportDay.objects.select_related("date").get(
            pk=int(payload["d"]),
            recruiter_secret=str(payload["s"]),
            date__structure=structure,
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, ObjectDoesNotExist):
        raise InvalidLink from None
    _check_time(day, now)
    return day


def _check_time(day, now):
    if (now or timezone.now()) > day.date.end + GRACE_AFTER_END:
        raise ExpiredLink
