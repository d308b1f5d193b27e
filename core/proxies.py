"""The visitor's address behind our own reverse proxies, and only theirs.

Behind nginx every request comes from nginx, so the per-IP rate limit would count all
visitors together. The proxy appends the address it saw to X-Forwarded-For; anything
to its left was written by the visitor and may be a lie. So, when the request comes
from a trusted proxy (settings.TRUSTED_PROXIES), REMOTE_ADDR becomes the right-most
address of the header that is not a trusted proxy itself. From anyone else the header
is ignored. A malformed value on that path means the header is not our proxies' work:
it is ignored too.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed


def parse_networks(values):
    try:
        return [ipaddress.ip_network(value.strip(), strict=False) for value in values]
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {error}") from error


def client_address(remote_addr, forwarded_for, networks):
    """The address to count: `remote_addr`, unless it is a trusted proxy that says
    whom it forwarded for."""

    def trusted(address):
        return any(address in network for network in networks)

    try:
        if not trusted(ipaddress.ip_address(remote_addr)):
            return remote_addr
        for value in reversed(forwarded_for.split(",")):
            address = ipaddress.ip_address(value.strip())
            if not trusted(address):
                return str(address)
    except ValueError:
        pass
    return remote_addr


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.networks = parse_networks(settings.TRUSTED_PROXIES)
        if not self.networks:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            self.networks,
        )
        return self.get_response(request)
