"""Links that open Google Calendar or Outlook.com with an event filled in, and the
Google link that subscribes to a feed.

Neither service documents these forms; they are the ones add-to-calendar tools have
used for years. Times are UTC (…Z), so the reader's own time zone does not matter.
Whatever goes into them is stored by Google or Microsoft: callers pass no personal
data and no secret link.
"""

from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urlencode

GOOGLE_EVENT = "https://calendar.google.com/calendar/render"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
OUTLOOK_EVENT = "https://outlook.live.com/calendar/0/deeplink/compose"


def google_event(title, start, end, details="", location=""):
    dates = f"{_compact_utc(start)}/{_compact_utc(end)}"
    query = {"action": "TEMPLATE", "text": title, "dates": dates}
    query.update(_given(details=details, location=location))
    return f"{GOOGLE_EVENT}?{urlencode(query)}"


def outlook_event(title, start, end, details="", location=""):
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": _iso_utc(start),
        "enddt": _iso_utc(end),
    }
    query.update(_given(body=details, location=location))
    return f"{OUTLOOK_EVENT}?{urlencode(query)}"


@dataclass(frozen=True)
class SubscriptionLinks:
    https: str
    webcal: str
    google: str


def subscription_links(feed_url):
    """A feed's address to copy (https), the webcal:// one that Apple and Outlook for
    Windows open directly, and Google's subscribe link, which only accepts the webcal
    form (an https one fails)."""
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    return SubscriptionLinks(
        https=feed_url,
        webcal=webcal,
        google=f"{GOOGLE_SUBSCRIBE}?{urlencode({'cid': webcal})}",
    )


def _given(**params):
    return {name: value for name, value in params.items() if value}


def _compact_utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
