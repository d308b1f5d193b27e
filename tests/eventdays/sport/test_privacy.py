"""A player's teams are in their export, and erasure or the purge leave the team
naming nobody."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking.models import EventDate
from booking.services import privacy
from eventdays.sport.models import TeamMember
from structures.models import Structure

from .support import sport_day

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_teams_played_in(home):
    day = sport_day(home, 8, teams=2, planned=False)
    member = TeamMember.objects.select_related("registration__young_person", "team").first()
    exported = privacy.export_person(member.registration.young_person)
    assert exported["sport_days"] == [
        {
            "event": day.date.title,
            "registration": str(member.registration.uuid),
            "team": member.team.name,
            "team_fair_play": 0,
        }
    ]


def test_erasure_and_purge_leave_memberships_naming_nobody(home):
    day = sport_day(home, 8, teams=2, planned=False)
    member = TeamMember.objects.select_related("registration__young_person").first()
    privacy.erase_person(member.registration.young_person)
    assert (
        not TeamMember.objects.filter(registration__young_person__isnull=False)
        .filter(pk=member.pk)
        .exists()
    )
    long_ago = timezone.now() - timedelta(days=800)
    EventDate.objects.filter(pk=day.date_id).update(start=long_ago, end=long_ago)
    privacy.purge(Structure.default(), months=12)
    assert not TeamMember.objects.filter(registration__young_person__isnull=False).exists()
    assert TeamMember.objects.count() == 8
