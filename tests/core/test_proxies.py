"""The visitor's address behind our reverse proxies: believed from them, never from others."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.proxies import client_address, parse_networks

PROXIES = parse_networks(["10.0.0.1", "192.168.0.0/24", "fd00::/8"])


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "seen"),
    [
        # nginx appended the address it saw: that is the visitor.
        ("10.0.0.1", "203.0.113.5", "203.0.113.5"),
        # Whatever the visitor wrote to the left of it is not believed.
        ("10.0.0.1", "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        # Through two of our proxies, the first address that is not ours.
        ("10.0.0.1", "203.0.113.5, 192.168.0.7", "203.0.113.5"),
        ("fd00::1", "2001:db8::5", "2001:db8::5"),
        # From anyone else, the header is ignored: it is the visitor's own words.
        ("198.51.100.9", "203.0.113.5", "198.51.100.9"),
        # Malformed, or only proxies: nothing better than the proxy's address.
        ("10.0.0.1", "not-an-address", "10.0.0.1"),
        ("10.0.0.1", "203.0.113.5:4711", "10.0.0.1"),
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "192.168.0.7", "10.0.0.1"),
    ],
)
def test_the_address_counted(remote_addr, forwarded_for, seen):
    assert client_address(remote_addr, forwarded_for, PROXIES) == seen


def test_a_mistyped_proxy_stops_the_start_with_its_name():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES: '10.0.0.300'"):
        parse_networks(["10.0.0.1", "10.0.0.300"])


@pytest.fixture
def limited(db, settings):
    """One booking POST per address, on the public booking page."""
    settings.BOOKING_RATE_LIMIT = (1, 3600)
    cache.clear()
    yield reverse("booking:flow")
    cache.clear()


def test_behind_a_trusted_proxy_two_visitors_have_two_counters(client, limited, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}

    first = client.post(limited, {}, **via_proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = client.post(limited, {}, **via_proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    again = client.post(limited, {}, **via_proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert first.status_code != 429
    assert other.status_code != 429, "another visitor behind the proxy has their own count"
    assert again.status_code == 429


def test_a_forged_header_from_elsewhere_changes_nothing(client, limited, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    attacker = {"REMOTE_ADDR": "198.51.100.9"}

    first = client.post(limited, {}, **attacker, HTTP_X_FORWARDED_FOR="203.0.113.1")
    forged = client.post(limited, {}, **attacker, HTTP_X_FORWARDED_FOR="203.0.113.2")

    assert first.status_code != 429
    assert forged.status_code == 429


def test_no_header_is_believed_by_default(client, limited):
    first = client.post(limited, {}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    forged = client.post(limited, {}, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")

    assert first.status_code != 429
    assert forged.status_code == 429
