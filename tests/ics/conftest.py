"""The booking builders (tests/booking/conftest.py), for the calendar tests."""

from tests.booking.conftest import (  # noqa: F401
    collectif,
    individuel,
    make_counsellor,
    make_session,
    make_team_counsellor,
    paris,
    structure,
)
from tests.events.conftest import home, index  # noqa: F401
