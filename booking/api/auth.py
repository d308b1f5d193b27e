"""Partner sites' keys: `Authorization: Bearer <key>` (booking.models.ApiKey).

A key is optional for reading and booking: without one, a request is counted against
its address, like the website's. With one, against the key, under its own, higher
ceiling (booking.services.limits), and the bookings it makes are its own to cancel and
move. A key that is not one of the structure's, or is revoked, gets 401 at once:
never the anonymous treatment, which would hide a partner's mistake.
"""

from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from booking.models import ApiKey


class BadKey(Exception):
    """Answered 401 {"detail": message} (api.errors)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


UNKNOWN_KEY = _("This API key is not valid, or was revoked. Ask the structure for a new one.")
KEY_NEEDED = _("Send your API key: Authorization: Bearer <key>.")
NOT_BEARER = _("Send the API key as Authorization: Bearer <key>.")


class PartnerKey(HttpBearer):
    """The request's key (request.auth), or ANONYMOUS when it sends none."""

    openapi_description = (
        "Optional for partner sites: a key given by the structure (python manage.py "
        "create_api_key). Requests with it are limited per key, not per address, and may "
        "cancel and move the bookings made with it."
    )

    def __call__(self, request):
        if "Authorization" not in request.headers:
            return ANONYMOUS
        key = super().__call__(request)
        if key is None:  # another scheme than Bearer
            raise BadKey(NOT_BEARER)
        return key

    def authenticate(self, request, token):
        key = ApiKey.objects.usable(token.strip(), request.structure)
        if key is None:
            raise BadKey(UNKNOWN_KEY)
        key.mark_used()
        return key


# A request without a key: any object is truthy, as ninja wants of an authentication.
ANONYMOUS = object()


def key_of(request):
    """The request's ApiKey, or None."""
    return request.auth if isinstance(request.auth, ApiKey) else None
