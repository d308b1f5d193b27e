"""Fair limits on booking requests: they refuse abuse without stopping a class, a front
desk, an open day or a mobile carrier's NAT, all of whom share one address.

- What a client (an address, or a partner's API key) may try: failed attempts only,
  with a high ceiling; a booking made is taken back from the count. A request whose
  outcome only the contact learns (`contacts.history_decides`) counts whatever it is,
  since the count, which the client can observe by its 429, must not tell what the page
  does not.
- One slot refused again and again to one client (taken, not offered): a few times
  only, then that slot waits; the others stay open.
- One person's appointments to come: checked by `bookings.book` itself, in its
  transaction (`TooManyBookings`).

Values are the structure's (`Structure.rate_limit`, `slot_limit`,
`live_bookings_limit`), else the install's (BOOKING_* settings).
"""

from django.conf import settings

from core import ratelimit

# Shared by the website and the API's calls without a key: one address, one count.
BOOKING_SCOPE = "book"
SLOT_SCOPE = "book-slot"


class BookingAttempt:
    """One booking request from `client`: an address, or "key:<id>" with `per_key`."""

    def __init__(self, structure, client, *, per_key=False):
        self.structure = structure
        self.client = client
        self.limit = settings.BOOKING_API_KEY_RATE_LIMIT if per_key else structure.rate_limit

    def start(self):
        """Count the attempt; the seconds to wait when it may not be made, else 0."""
        return ratelimit.hit(BOOKING_SCOPE, self.client, self.limit)

    def slot_wait(self, target):
        """The seconds to wait before `target` (the arguments of `book` that say what is
        booked) may be asked for again, once refused too often; else 0."""
        return ratelimit.waiting(SLOT_SCOPE, self._slot_client(target), self.structure.slot_limit)

    def booked(self):
        """A booking was made: it does not count against the client."""
        ratelimit.forgive(BOOKING_SCOPE, self.client, self.limit)

    def refused(self, error, target):
        """A refusal (`errors.BookingError`) told to the client; one of the slot counts."""
        if error.field == "slot":
            ratelimit.count(SLOT_SCOPE, self._slot_client(target), self.structure.slot_limit)

    def _slot_client(self, target):
        return f"{self.client}:{slot_key(target)}"


def slot_key(target):
    """What names one slot: a group session, or a format's time (the instant, whatever
    its offset) at a place."""
    session = target.get("group_session")
    if session is not None:
        return f"session-{session.pk}"
    return f"{target['format'].pk}-{target['place'].pk}-{int(target['start'].timestamp())}"
