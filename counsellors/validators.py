"""Checks that keep counsellor videos accessible and free of third-party tracking."""

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

YOUTUBE_NOCOOKIE_HOSTS = {"www.youtube-nocookie.com", "youtube-nocookie.com"}
VIMEO_PLAYER_HOST = "player.vimeo.com"
PEERTUBE_EMBED_PATH = re.compile(r"^/videos/embed/[A-Za-z0-9-]+/?$")
WEBVTT_SIGNATURE = b"WEBVTT"
UTF8_BOM = b"\xef\xbb\xbf"
# What may follow "WEBVTT" on the first line, end of file included.
WEBVTT_SEPARATORS = {b"", b" ", b"\t", b"\n", b"\r"}


def validate_privacy_friendly_embed_url(url):
    """Accept only players that set no tracking cookie and never start on their own.

    Young people must not be tracked for watching a counsellor, and a video that starts
    by itself disturbs screen reader users (WCAG 2.2.2).
    """
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.scheme != "https":
        raise ValidationError(_("The video link must start with https://."), code="not_https")
    if any(value.lower() in {"1", "true"} for value in query.get("autoplay", [])):
        raise ValidationError(
            _("Remove “autoplay” from the link: the video must only start when asked."),
            code="autoplay",
        )
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_NOCOOKIE_HOSTS:
        if parts.path.startswith("/embed/"):
            return
    elif host == VIMEO_PLAYER_HOST:
        if parts.path.startswith("/video/") and query.get("dnt") == ["1"]:
            return
    elif PEERTUBE_EMBED_PATH.match(parts.path):
        return
    raise ValidationError(
        _(
            "Use a privacy-friendly player link: "
            "https://www.youtube-nocookie.com/embed/…, "
            "https://player.vimeo.com/video/…?dnt=1 "
            "or a PeerTube link https://…/videos/embed/…"
        ),
        code="not_privacy_friendly",
    )


def validate_webvtt(file):
    """Refuse caption files that browsers would silently ignore: they must start with WEBVTT."""
    was_closed = file.closed
    try:
        file.open("rb")
        head = file.read(len(UTF8_BOM) + len(WEBVTT_SIGNATURE) + 1)
        if was_closed:
            file.close()
        else:
            file.seek(0)
    except OSError as error:
        raise ValidationError(
            _("The subtitles file cannot be read: please upload it again."), code="unreadable"
        ) from error
    head = head.removeprefix(UTF8_BOM)
    separator = head[len(WEBVTT_SIGNATURE) : len(WEBVTT_SIGNATURE) + 1]
    if not head.startswith(WEBVTT_SIGNATURE) or separator not in WEBVTT_SEPARATORS:
        raise ValidationError(
            _("This is not a WebVTT subtitles file: its first line must be “WEBVTT”."),
            code="not_webvtt",
        )
