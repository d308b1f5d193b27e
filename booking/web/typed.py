"""What the person typed at the last step, kept for the one page that follows the booking.

That page greets them with the first name and the contact they typed, never with what is
stored for that contact: whoever types someone else's address must not learn their name.
The values travel in a signed cookie limited to that page's path, for an hour: they are
the visitor's own words, on the visitor's own browser, and reach no log or other page.
"""

from django.core import signing

COOKIE = "passerelle_saisie"
SALT = "booking.web.typed"
MAX_AGE = 60 * 60


def remember(response, request, *, path, first_name, email, phone=""):
    """Set the cookie for `path` on `response` (the redirect to that page)."""
    typed = {"first_name": first_name, "email": email, "phone": phone}
    value = signing.dumps(typed, salt=SALT, compress=True)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        path=path,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def recall(request):
    """{"first_name", "email", "phone"} as typed, or {} (another browser, expired, tampered)."""
    try:
        return signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return {}
