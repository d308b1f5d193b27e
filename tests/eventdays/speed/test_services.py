"""What staff, pros and young people change on a speed meeting: its tables numbered in
turn, the wishes, the draft built, moved and published, the re-plan at check-in, the
round being played."""

from datetime import timedelta

import pytest

from booking.models import EventDate, Registration
from booking.services import registrations
from booking.services.signals import Actor
from eventdays.models import Pro, Seat, Sector
from eventdays.planning import speed_meeting as planner
from eventdays.speed import services

from .conftest import add_pros, young

pytestmark = pytest.mark.django_db


def schedule(registration, *, published=True):
    return list(
        Seat.objects.filter(registration=registration, published=published)
        .order_by("round")
        .values_list("round", "pro__table")
    )


def test_tables_are_numbered_in_turn_and_an_employer_needs_a_company(meeting):
    assert list(meeting.pros.values_list("table", flat=True)) == [1, 2, 3]
    with pytest.raises(services.Refused) as refused:
        services.add_pro(
            meeting,
            services.ProDetails(kind=Pro.Kind.EMPLOYER, name="Sophie", company="  "),
            source=Pro.Source.STAFF,
        )
    assert refused.value.field == "company"


def test_a_pro_registering_by_the_link_must_consent(meeting):
    details = services.ProDetails(kind=Pro.Kind.EMPLOYER, name="Sophie", company="Ody")
    with pytest.raises(services.Refused) as refused:
        services.add_pro(meeting, details, source=Pro.Source.LINK)
    assert refused.value.field == "consent"
    pro = services.add_pro(meeting, details, source=Pro.Source.LINK, consent=True)
    assert pro.consent_at is not None and pro.table == 4


def test_a_counsellor_has_one_table_per_meeting(meeting, counsellor):
    details = services.ProDetails(kind=Pro.Kind.COUNSELLOR, name="", counsellor=counsellor)
    pro = services.add_pro(meeting, details, source=Pro.Source.STAFF)
    assert pro.name == "Samira"
    with pytest.raises(services.Refused) as refused:
        services.add_pro(meeting, details, source=Pro.Source.STAFF)
    assert refused.value.field == "counsellor"


def test_wishes_are_three_at_most_and_among_the_meeting_s_pros(meeting, job_dating):
    lina = Registration.objects.get(young_person__first_name="Lina")
    first, second, third = meeting.pros.all()
    services.set_wishes(lina, sectors=[Sector.HEALTH], pros=[first, second])
    assert lina.speed_wishes.count() == 3
    with pytest.raises(services.Refused):
        services.set_wishes(lina, sectors=[Sector.HEALTH], pros=[first, second, third])
    services.set_wishes(lina, pros=[third])
    assert [wish.pro for wish in lina.speed_wishes.all()] == [third]


def test_the_draft_meets_the_wishes_and_stays_unseen_until_published(meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    wished = meeting.pros.get(table=3)
    services.set_wishes(lina, pros=[wished])
    services.draft(meeting)

    tables = [table for _round, table in schedule(lina, published=False)]
    assert 3 in tables and len(set(tables)) == len(tables)
    assert schedule(lina) == []
    services.publish(meeting)
    assert schedule(lina) == schedule(lina, published=False)
    meeting.refresh_from_db()
    assert meeting.published_at is not None and meeting.draft_changed_at is None


def test_a_move_that_breaks_a_rule_is_shown_and_cannot_be_published(meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    services.draft(meeting)
    services.publish(meeting)
    first_table = Seat.objects.get(registration=lina, published=False, round=0).pro
    services.move(meeting, lina.pk, 1, first_table.pk)

    issues = planner.check(services.state(meeting, published=False).plan)
    assert planner.MetTwice(lina.pk, first_table.pk, (0, 1)) in issues
    with pytest.raises(services.Refused):
        services.publish(meeting)
    # The published plan is what it was.
    assert schedule(lina)[1][1] != first_table.table


def test_a_break_is_a_move_too(meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    services.draft(meeting)
    services.move(meeting, lina.pk, 2, None)
    assert 2 not in [number for number, _table in schedule(lina, published=False)]
    services.publish(meeting)
    assert 2 not in [number for number, _table in schedule(lina)]


def test_the_re_plan_keeps_the_rounds_played_drops_no_shows_and_seats_a_walk_in(
    meeting, job_dating
):
    date = EventDate.objects.get()
    lina, yanis = date.registrations.order_by("pk")
    services.draft(meeting)
    services.publish(meeting)
    now = meeting.first_round_at + timedelta(minutes=3)  # round 1 under way
    played = schedule(lina)[:1]
    registrations.mark_attended(lina)
    registrations.mark_no_show(yanis)
    walk_in = registrations.register_walk_in(
        date, mode="on_site", first_name="Nour", email="nour@example.org"
    ).registration

    services.replan(meeting, now=now)
    services.publish(meeting, now=now)
    assert schedule(lina)[:1] == played
    assert [number for number, _table in schedule(yanis)] == [0]
    assert [number for number, _table in schedule(walk_in)] == [1, 2, 3]


def test_a_pro_who_leaves_has_nobody_at_their_table_once_re_planned(meeting):
    """Gone after round 1: the re-plan seats their young people elsewhere from round 2,
    round 1 keeps who met them, and a draft still seating someone there is refused."""
    lina, yanis = Registration.objects.order_by("pk")
    services.draft(meeting)
    services.publish(meeting)
    first = meeting.pros.get(table=1)
    met_first = Seat.objects.filter(pro=first, published=True, round=0).count()
    now = meeting.first_round_at + timedelta(minutes=3)  # round 1 under way
    services.mark_pro_gone(first, now=now)
    assert first.gone_from == 1

    with pytest.raises(services.Refused):
        services.publish(meeting, now=now)  # the draft still seats people at table 1
    services.replan(meeting, now=now)
    services.publish(meeting, now=now)

    seated = Seat.objects.filter(pro=first, published=True)
    assert list(seated.values_list("round", flat=True).distinct()) == ([0] if met_first else [])
    assert all(table != 1 for number, table in schedule(lina) + schedule(yanis) if number >= 1)
    services.mark_pro_back(first, now=now)
    assert first.gone_from is None


def test_a_cancelled_registration_leaves_the_plans(meeting):
    lina = Registration.objects.get(young_person__first_name="Lina")
    services.draft(meeting)
    services.publish(meeting)
    registrations.cancel_registration(lina, by=Actor.PERSON)
    assert not Seat.objects.filter(registration=lina).exists()


def test_staff_start_the_next_round_once_however_many_click(meeting):
    now = meeting.first_round_at + timedelta(minutes=1)
    assert services.round_to_start(meeting, now) == 1
    assert services.next_round(meeting, starting=1, now=now)
    assert not services.next_round(meeting, starting=1, now=now)
    assert meeting.round_playing == 1 and meeting.round_started_at == now


def test_thirty_young_people_at_ten_tables_meet_every_wish_capacity_allows(job_dating):
    people = young(job_dating, 30)
    meeting = services.set_up(EventDate.objects.get(), rounds=9)
    pros = add_pros(meeting, 10)
    for n, person in enumerate(people):
        services.set_wishes(person, pros=[pros[n % 10], pros[(n + 3) % 10]])
    plan = services.draft(meeting)
    figures = planner.figures(plan).values()
    assert {f.meetings for f in figures} == {6}
    assert sum(f.wishes_met for f in figures) == 60
    assert not planner.check(plan)
