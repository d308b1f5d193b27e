"""What comes after the day follows booking's privacy: a young person's choices, who
marked them, their handovers and follow-up are in their export and go when they are
erased or purged; an employer's consent to receive contacts goes with the retention."""

from datetime import timedelta

import pytest
from django.utils import timezone

from booking.models import EventDate
from booking.services import privacy
from eventdays.models import Choice, Handover, Mark, Outcome, ProFollowUp
from eventdays.speed import follow_ups
from structures.models import Structure

from .follow_ups_support import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(job_dating, django_capture_on_commit_callbacks):
    """P0 chose the first employer (agreeing to give their contact) and the counsellor,
    both marked them back; P1 chose the counsellor; everything sent."""
    meeting, (p0, p1, *_rest), (employer, _second, counsellor) = build(job_dating, 4)
    follow_ups.set_choices(p0, [employer, counsellor], consents=[employer])
    follow_ups.set_choices(p1, [counsellor])
    follow_ups.set_marks(employer, [p0.pk], consent=True)
    follow_ups.set_marks(counsellor, [p0.pk, p1.pk])
    with django_capture_on_commit_callbacks(execute=True):
        follow_ups.send(meeting)
    return meeting, p0, p1


def test_the_export_has_the_choices_marks_handovers_and_follow_up(sent):
    meeting, p0, _p1 = sent
    exported = privacy.export_person(p0.young_person)
    assert [choice["rank"] for choice in exported["speed_meeting_choices"]] == [1, 2]
    assert exported["speed_meeting_choices"][0]["contact_agreed_at"]
    assert len(exported["speed_meeting_marked_by"]) == 2
    [handover] = exported["speed_meeting_handovers"]
    assert handover["employer"] == "Garage Martin" and handover["sent_at"]
    [follow_up] = exported["speed_meeting_follow_ups"]
    assert follow_up["counsellor"] == "Samira"


def test_erasing_the_person_takes_their_rows_and_leaves_the_others(sent):
    meeting, p0, p1 = sent
    privacy.erase_person(p0.young_person)
    for model in (Choice, Mark, Handover, Outcome):
        assert not model.objects.filter(registration=p0).exists()
    assert Choice.objects.filter(registration=p1).exists()
    assert Outcome.objects.filter(registration=p1).exists()


def test_the_purge_takes_everything_personal_and_the_employer_s_consent(sent):
    long_ago = timezone.now() - timedelta(days=800)
    EventDate.objects.update(start=long_ago, end=long_ago + timedelta(hours=3))
    privacy.purge(Structure.default(), months=12)
    for model in (Choice, Mark, Handover, Outcome):
        assert not model.objects.exists()
    assert not ProFollowUp.objects.filter(consent_at__isnull=False).exists()
