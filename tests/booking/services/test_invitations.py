"""Invitations through the services: one booking per invitation, whatever the timing;
the contact is read like a young person's; the counsellor must offer the format."""

import pytest

from booking import services
from booking.models import Booking, Invitation
from booking.services.errors import InvitationUnusable
from booking.services.invitations import invite

from ..factories import FormatFactory, paris

NOW = paris("2026-03-02 08:00")
TUESDAY_9 = paris("2026-03-03 09:00")


def book_invited(invitation, counsellor, fmt, place, start=TUESDAY_9, **kwargs):
    return services.book(
        first_name="Léa",
        email="lea@example.org",
        consent=True,
        counsellor=counsellor,
        format=fmt,
        place=place,
        start=start,
        now=NOW,
        invitation=invitation,
        **kwargs,
    )


def test_an_invitation_books_once_then_refuses(samira, individuel, structure, manager):
    invitation = invite(
        counsellor=samira, format=individuel, contact="06 12 34 56 78", created_by=manager, now=NOW
    )
    assert (invitation.channel, invitation.contact) == ("sms", "+33612345678")

    booking = book_invited(invitation, samira, individuel, structure)
    with pytest.raises(InvitationUnusable):
        book_invited(invitation, samira, individuel, structure, start=paris("2026-03-03 10:00"))

    assert booking.source == Booking.Source.INVITATION
    assert Booking.objects.count() == 1


def test_a_refused_booking_leaves_the_invitation_unused(samira, individuel, structure, manager):
    invitation = invite(
        counsellor=samira, format=individuel, contact="lea@example.org", created_by=manager, now=NOW
    )
    with pytest.raises(services.SlotUnavailable):
        book_invited(invitation, samira, individuel, structure, start=paris("2026-03-03 13:00"))

    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_an_invitation_is_for_its_counsellor_and_format_only(
    samira, julien, individuel, structure, manager
):
    invitation = invite(
        counsellor=samira, format=individuel, contact="lea@example.org", created_by=manager, now=NOW
    )
    with pytest.raises(InvitationUnusable):
        book_invited(invitation, julien, individuel, structure)
    with pytest.raises(services.InvalidDetails) as refused:
        invite(counsellor=samira, format=FormatFactory(), contact="a@b.fr", created_by=manager)
    assert refused.value.field == "format"
    with pytest.raises(services.InvalidContact):
        invite(counsellor=samira, format=individuel, contact="01 23", created_by=manager)
    assert Invitation.objects.count() == 1
