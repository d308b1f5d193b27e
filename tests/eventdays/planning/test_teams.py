from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventdays.planning.teams import (
    PartiesDoNotFit,
    Registrant,
    SplitParty,
    Team,
    check,
    draw_teams,
)

LEVELS = ("débutant", "moyen", "confirmé")


def the_proposal():
    """24 young people, three levels, two genders; 0 and 1, 2 and 3 came as friends."""
    return [
        Registrant(
            person,
            {"niveau": LEVELS[person % 3], "genre": "FG"[person % 2]},
            party=person // 2 if person < 4 else None,
        )
        for person in range(24)
    ]


def counts(team, registrants, name):
    attributes = {registrant.id: dict(registrant.attributes) for registrant in registrants}
    return Counter(attributes[member].get(name) for member in team.members)


def test_four_teams_of_six_spread_levels_and_genders_and_keep_friends_together():
    people = the_proposal()

    teams = draw_teams(people, 4, seed=7)

    assert [len(team.members) for team in teams] == [6, 6, 6, 6]
    for team in teams:
        assert counts(team, people, "niveau") == dict.fromkeys(LEVELS, 2)
        assert counts(team, people, "genre") == {"F": 3, "G": 3}
    team_of = {member: team.number for team in teams for member in team.members}
    assert team_of[0] == team_of[1]
    assert team_of[2] == team_of[3]
    assert check(teams, people).ok


def test_the_same_seed_gives_the_same_teams_whatever_the_order_of_registrations():
    people = the_proposal()

    assert draw_teams(people, 4, seed=3) == draw_teams(list(reversed(people)), 4, seed=3)
    assert draw_teams(people, 4, seed=3) != draw_teams(people, 4, seed=4)


def test_sizes_differ_by_one_at_most_and_attributes_are_optional():
    people = [Registrant(n, {"première fois": True} if n % 4 == 0 else {}) for n in range(26)]

    teams = draw_teams(people, 4)

    assert sorted(len(team.members) for team in teams) == [6, 6, 7, 7]
    assert sorted(counts(team, people, "première fois")[True] for team in teams) == [1, 2, 2, 2]


def test_parties_that_cannot_fit_even_teams_are_reported_rather_than_split():
    people = [Registrant(n, party="a" if n < 3 else "b" if n < 6 else None) for n in range(7)]

    with pytest.raises(PartiesDoNotFit) as refused:
        draw_teams(people, 3)

    assert refused.value.party_sizes == (3, 3)
    assert refused.value.sizes_allowed == (2, 3)


def test_a_party_fits_when_only_the_exact_split_of_sizes_works():
    """Greedy largest-first would put 3+2+2 on one side; the search finds 3+3 and 2+2+2."""
    people = [
        Registrant(n, party=n // 3 if n < 6 else 2 + (n - 6) // 2, attributes={"x": n})
        for n in range(12)
    ]

    teams = draw_teams(people, 2)

    assert check(teams, people).ok


def test_check_reports_what_a_staff_edit_broke():
    people = the_proposal()
    drawn = [Team(1, (0, 1, 4, 5, 6, 7)), Team(2, (2, 3, 8, 9, 10, 11))]
    drawn += [Team(3, tuple(range(12, 18))), Team(4, tuple(range(18, 24)))]
    assert check(drawn, people).ok

    edited = [Team(1, (0, 4, 5, 6, 7)), Team(2, (2, 3, 8, 9, 10, 11, 1))]
    edited += [Team(3, (*range(12, 18), "inconnu")), Team(4, tuple(range(18, 24)))]
    report = check(edited, people)

    assert not report.ok
    assert report.sizes_allowed == (6, 6)
    assert (report.too_large, report.too_small) == ((2, 3), (1,))
    assert report.split_parties == (SplitParty(0, (1, 2)),)
    assert report.unknown == ("inconnu",)
    assert report.unplaced == report.placed_twice == ()


def test_check_reports_people_left_out_or_placed_twice():
    people = [Registrant(n) for n in range(4)]

    report = check([Team(1, (0, 1)), Team(2, (1, 2))], people)

    assert report.unplaced == (3,)
    assert report.placed_twice == (1,)


@st.composite
def registrations(draw):
    size = draw(st.integers(1, 40))
    party_of = draw(st.lists(st.integers(0, 4), min_size=size, max_size=size))
    people = []
    members = Counter()
    for person, party in enumerate(party_of):
        members[party] += 1
        together = party and members[party] <= 3
        attributes = {
            "niveau": draw(st.sampled_from(LEVELS)),
            **({"genre": draw(st.sampled_from("FG"))} if draw(st.booleans()) else {}),
        }
        people.append(Registrant(person, attributes, party if together else None))
    return people, draw(st.integers(1, min(8, size))), draw(st.integers(0, 2**16))


@settings(max_examples=150, deadline=None)
@given(registrations())
def test_drawn_teams_are_even_keep_parties_together_or_say_they_cannot(instance):
    people, team_count, seed = instance

    try:
        teams = draw_teams(people, team_count, seed)
    except PartiesDoNotFit:
        assert any(registrant.party is not None for registrant in people)
        return

    assert check(teams, people).ok
    assert draw_teams(people, team_count, seed) == teams


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=40), st.integers(1, 8))
def test_one_attribute_without_parties_is_spread_within_one(levels, team_count):
    people = [Registrant(person, {"niveau": level}) for person, level in enumerate(levels)]
    team_count = min(team_count, len(people))

    teams = draw_teams(people, team_count)

    for level in LEVELS:
        spread = [counts(team, people, "niveau")[level] for team in teams]
        assert max(spread) - min(spread) <= 1
