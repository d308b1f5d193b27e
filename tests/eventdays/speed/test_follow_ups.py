"""After the day, through the services: choices among the people met, marks, the answer
staff send once (an invitation for a mutual counsellor, a handover only with both
consents, a message with the reason for everyone else), and the figures from the
bookings made through the invitations."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from booking import services as booking
from booking.models import Invitation
from core.sms import gsm7
from eventdays.models import Choice, FollowUpTerms, Handover, Outcome
from eventdays.speed import follow_ups
from eventdays.speed.services import Refused

from .follow_ups_support import book_invited, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Staff send, and the transaction commits (its messages leave)."""

    def run(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            return follow_ups.send(meeting)

    return run


@pytest.fixture
def after(job_dating):
    """Four young people, two employers' tables of two and a counsellor's, three rounds
    played: everyone met everyone."""
    return build(job_dating, 4)


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_everyone_chooses_up_to_three_among_the_people_they_met(after):
    meeting, (p0, *_rest), pros = after
    assert {pro.pk for pro in follow_ups.met(p0)} == {pro.pk for pro in pros}
    follow_ups.set_choices(p0, [pros[2], None, pros[0]])
    assert [(c.rank, c.pro_id) for c in Choice.objects.filter(registration=p0)] == [
        (1, pros[2].pk),
        (2, pros[0].pk),
    ]
    with pytest.raises(Refused, match="deux fois"):
        follow_ups.set_choices(p0, [pros[1], pros[1]])
    # What was chosen is kept when a choice is refused.
    assert Choice.objects.filter(registration=p0).count() == 2


def test_choices_open_at_the_end_of_the_day_and_close_at_staff_s_time(job_dating):
    meeting, (p0, *_rest), pros = build(job_dating, 2)
    now = timezone.now()
    follow_ups.set_terms(meeting, choices_close_at=now + timedelta(hours=1))
    follow_ups.set_choices(p0, [pros[0]], now=now)
    with pytest.raises(Refused, match="fermés"):
        follow_ups.set_choices(p0, [pros[1]], now=now + timedelta(hours=2))
    assert Choice.objects.get(registration=p0).pro == pros[0]


def test_a_mutual_counsellor_invites_the_young_person_to_book_once(after, send):
    meeting, (p0, p1, *_rest), pros = after
    counsellor = pros[-1]
    follow_ups.set_choices(p0, [counsellor])
    follow_ups.set_marks(counsellor, [p0.pk], capacity=3)
    told = send(meeting)
    invitation = Invitation.objects.get()
    assert told == 1 and invitation.counsellor == counsellor.counsellor
    assert invitation.contact == "p0@example.org"
    [message] = to("p0@example.org")
    assert "/rendez-vous/invitation/" in message.body or "invitation" in message.body
    # Sending twice sends nothing twice.
    assert send(meeting) == 0
    assert Invitation.objects.count() == 1 and len(to("p0@example.org")) == 1
    assert Outcome.objects.get(registration=p0).invitation == invitation
    # Choices are closed once sent.
    with pytest.raises(Refused):
        follow_ups.set_choices(p1, [counsellor])


def test_an_over_chosen_counsellor_follows_those_a_stable_matching_gives_them(after, send):
    meeting, (p0, p1, p2, p3), pros = after
    first, second, counsellor = pros
    for registration in (p0, p1):
        follow_ups.set_choices(registration, [counsellor, first])
    follow_ups.set_marks(counsellor, [p0.pk, p1.pk], capacity=1)
    follow_ups.set_marks(first, [p1.pk], consent=True)
    follow_ups.set_choices(p2, [second])  # not chosen back
    lines = {line.registration.pk: line for line in follow_ups.preview(meeting)}
    assert lines[p0.pk].counsellor == counsellor
    assert lines[p1.pk].counsellor is None and lines[p1.pk].answer.passed_over
    # p1 agreed to nothing: the employer who marked them gets nothing.
    assert lines[p1.pk].awaiting == [first] and lines[p1.pk].reason == "no_consent"
    assert lines[p2.pk].reason == "not_chosen_back"
    assert lines[p3.pk].reason == "no_choice"
    send(meeting)
    assert not Handover.objects.exists()
    [p1_message] = to("p1@example.org")
    assert "conseiller·e de la structure te recontacte" in p1_message.body
    [p2_message] = to("p2@example.org")
    assert "Pas de choix réciproque" in p2_message.body or "pas de choix réciproque" in (
        p2_message.body
    )
    assert to("p3@example.org") == []  # chose nobody: nothing to say
    assert to(first.email) == []


def test_a_counsellor_full_directs_to_the_next_preference(job_dating, send):
    meeting, (p0, p1, *_rest), pros = build(job_dating, 4, employers=1, counsellors=2)
    _employer, samira, kevin = pros
    for registration in (p0, p1):
        follow_ups.set_choices(registration, [samira, kevin])
    follow_ups.set_marks(samira, [p0.pk, p1.pk], capacity=1)
    follow_ups.set_marks(kevin, [p1.pk], capacity=1)
    first, second, *_others = follow_ups.preview(meeting)
    assert (first.counsellor, first.words) == (samira, "")
    assert second.counsellor == kevin
    assert second.words == "conseiller·e complet·e\u00a0: orienté·e vers ton choix n°\u00a02"
    send(meeting)
    assert Invitation.objects.get(contact="p1@example.org").counsellor == kevin.counsellor


def test_a_handover_needs_both_consents_and_mails_the_employer_the_first_name(after, send):
    meeting, (p0, p1, *_rest), pros = after
    employer = pros[0]
    follow_ups.set_choices(p0, [employer], consents=[employer])
    follow_ups.set_choices(p1, [employer])  # no consent
    follow_ups.set_marks(employer, [p0.pk, p1.pk], consent=True)
    send(meeting)
    handover = Handover.objects.get()
    assert handover.registration == p0 and handover.pro == employer
    assert handover.young_consent_at and handover.employer_consent_at
    [email] = to(employer.email)
    assert "P0" in email.body and "p0@example.org" in email.body
    assert "P1" not in email.body and "p1@example.org" not in email.body
    [told] = to("p0@example.org")
    assert employer.company in told.body
    send(meeting)
    assert len(to(employer.email)) == 1 and Handover.objects.count() == 1


def test_a_young_person_by_sms_is_told_in_one_segment(after, sms_outbox, send):
    meeting, (p0, *_rest), pros = after
    person = p0.young_person
    person.email, person.phone, person.preferred_channel = "", "+33612345678", "sms"
    person.save()
    follow_ups.set_choices(p0, [pros[1]])
    send(meeting)
    [sms] = sms_outbox
    assert gsm7.fits_one_segment(sms.text) and "recontacte" in sms.text


def test_sms_text_drops_the_structure_then_the_name_to_fit():
    text = follow_ups.sms_text("Maximilienne-Charlotte", "x" * 140, "Mission Locale de Lens")
    assert gsm7.fits_one_segment(text)


def test_figures_count_mutual_choices_follow_ups_booked_and_attended(after, send):
    meeting, (p0, p1, p2, p3), pros = after
    counsellor = pros[-1]
    for registration in (p0, p1, p2):
        follow_ups.set_choices(registration, [counsellor])
    follow_ups.set_marks(counsellor, [p0.pk, p1.pk], capacity=5)
    before = follow_ups.figures(meeting)
    assert (before.young, before.chose, before.mutual, before.mutual_share) == (4, 3, 2, 50)
    send(meeting)
    first, second = Invitation.objects.order_by("contact")
    booked = book_invited(first, "P0")
    book_invited(second, "P1", hour=10)
    booking.mark_attended(booked, now=booked.end + timedelta(minutes=5))
    figures = follow_ups.figures(meeting)
    assert (figures.sent, figures.booked, figures.attended, figures.handovers) == (2, 2, 1, 0)
    assert FollowUpTerms.objects.get(meeting=meeting).sent_at is not None
