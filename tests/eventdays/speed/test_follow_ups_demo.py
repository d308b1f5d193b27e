"""The demo's past "Adopte un pro" after the day: choices, marks, follow-ups sent, some
booked through their invitations and attended, so that the figures show."""

import pytest
from django.utils import timezone

from eventdays.models import Choice, Mark, Outcome, SpeedMeeting
from eventdays.speed import follow_ups

pytestmark = pytest.mark.usefixtures("demo")


def test_the_past_meeting_s_figures_show_mutual_choices_and_follow_ups_attended():
    past = SpeedMeeting.objects.get(date__end__lt=timezone.now())
    assert Choice.objects.filter(registration__date=past.date).exists()
    assert Mark.objects.filter(pro__meeting=past).exists()
    figures = follow_ups.figures(past)
    assert figures.sent_at is not None
    assert 0 < figures.mutual < figures.young
    assert figures.sent >= figures.booked >= 2 and figures.attended == 2
    assert figures.handovers >= 1
    reasons = set(Outcome.objects.filter(meeting=past).values_list("reason", flat=True))
    assert {"", "no_choice", "not_chosen_back"} <= reasons


def test_loading_it_again_sends_nothing_again():
    from eventdays.speed import demo

    before = (
        Outcome.objects.count(),
        follow_ups.figures(SpeedMeeting.objects.get(date__end__lt=timezone.now())),
    )
    demo.load()
    past = SpeedMeeting.objects.get(date__end__lt=timezone.now())
    assert (Outcome.objects.count(), follow_ups.figures(past)) == before
