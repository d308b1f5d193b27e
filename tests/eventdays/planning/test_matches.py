import itertools
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventdays.planning.matches import (
    STRICT,
    Court,
    Infeasible,
    MatchPlan,
    Pairing,
    SportsVaryInParallel,
    SportsVaryPerTeam,
    count_plans,
    fixtures,
    plan_matches,
    round_robin,
)

SPORTS = ("football", "basket", "handball", "ping-pong")
TWO_PITCHES = (Court("terrain 1", SPORTS), Court("terrain 2", SPORTS))


def brute_force(rules_hold):
    """Every way to give the 6 matches of 4 teams on 2 courts one of 4 sports: 4⁶."""
    planned = fixtures("ABCD", 2)
    return [
        sports
        for sports in itertools.product(SPORTS, repeat=len(planned))
        if rules_hold(list(zip(planned, sports, strict=True)))
    ]


def each_team_plays_different_sports(assigned):
    played = Counter((team, sport) for f, sport in assigned for team in (f.home, f.away))
    return max(played.values()) == 1


def parallel_matches_differ(assigned):
    return max(Counter((f.slot, sport) for f, sport in assigned).values()) == 1


def test_the_circle_method_pairs_every_team_once_with_a_bye_when_odd():
    assert round_robin("ABCD") == (
        (Pairing("A", "D"), Pairing("B", "C")),
        (Pairing("C", "A"), Pairing("D", "B")),
        (Pairing("A", "B"), Pairing("C", "D")),
    )
    five = round_robin("ABCDE")
    assert len(five) == 5
    assert [len(round) for round in five] == [2] * 5
    sitting_out = [set("ABCDE") - {t for p in round for t in (p.home, p.away)} for round in five]
    assert sorted("".join(team for out in sitting_out for team in out)) == list("ABCDE")


def test_strict_rules_for_four_teams_on_two_courts_have_no_solution_by_brute_force():
    strict = brute_force(
        lambda assigned: (
            each_team_plays_different_sports(assigned) and parallel_matches_differ(assigned)
        )
    )

    assert len(SPORTS) ** 6 == 4096
    assert strict == []
    assert count_plans("ABCD", TWO_PITCHES, STRICT) == 0


def test_allowing_one_sport_on_both_courts_gives_96_plans():
    relaxed = brute_force(each_team_plays_different_sports)
    rules = (SportsVaryPerTeam(), SportsVaryInParallel(at_most=2))

    assert len(relaxed) == 96
    assert count_plans("ABCD", TWO_PITCHES, rules) == 96


def test_the_planner_says_which_rule_to_relax_instead_of_failing_silently():
    answer = plan_matches("ABCD", TWO_PITCHES, STRICT)

    assert isinstance(answer, Infeasible)
    assert answer.proven
    assert answer.suggestion.changes == ((SportsVaryInParallel(1), SportsVaryInParallel(2)),)
    assert [relaxation.changes for relaxation in answer.relaxations] == [
        ((SportsVaryInParallel(1), SportsVaryInParallel(2)),),
        ((SportsVaryPerTeam(1), SportsVaryPerTeam(2)),),
    ]
    plan = answer.suggestion.plan
    assigned = [(match, match.sport) for match in plan.matches]
    assert each_team_plays_different_sports(assigned)
    assert plan_matches("ABCD", TWO_PITCHES, answer.suggestion.rules) == plan


def test_a_relaxation_that_needs_several_steps_is_found_in_one_answer():
    twelve = plan_matches(range(12), [Court(n, SPORTS) for n in range(4)], STRICT)

    assert twelve.suggestion.changes == ((SportsVaryPerTeam(1), SportsVaryPerTeam(3)),)


def test_a_sport_is_only_played_on_a_court_that_allows_it():
    courts = (Court("gymnase", {"basket", "handball"}), Court("table", {"ping-pong"}))

    plan = plan_matches("ABCD", courts, (SportsVaryPerTeam(at_most=2),))

    assert isinstance(plan, MatchPlan)
    assert all((match.court == "table") == (match.sport == "ping-pong") for match in plan.matches)
    assert {match.court for match in plan.matches} == {"gymnase", "table"}


def test_a_court_without_sport_is_refused():
    with pytest.raises(ValueError, match="allows no sport"):
        Court("vide", ())


def test_eight_teams_are_planned_in_well_under_100_ms_and_the_same_each_time():
    courts = [Court(n, SPORTS) for n in range(3)]
    rules = (SportsVaryPerTeam(at_most=2), SportsVaryInParallel())
    started = time.perf_counter()
    plan = plan_matches(range(8), courts, rules)
    elapsed = time.perf_counter() - started

    assert isinstance(plan, MatchPlan)
    assert elapsed < 0.1
    assert plan_matches(range(8), courts, rules) == plan


def teams_and_courts():
    sports = st.lists(st.sampled_from(SPORTS), min_size=1, max_size=4, unique=True)
    return st.tuples(
        st.integers(2, 8),
        st.lists(sports, min_size=1, max_size=3),
        st.lists(
            st.one_of(
                st.builds(SportsVaryPerTeam, st.integers(1, 3)),
                st.builds(SportsVaryInParallel, st.integers(1, 2)),
            ),
            max_size=2,
            unique_by=type,
        ),
    )


def assert_plan_holds(plan, team_count, courts, rules):
    pairs = Counter(frozenset((match.home, match.away)) for match in plan.matches)
    assert set(pairs) == {frozenset(pair) for pair in itertools.combinations(range(team_count), 2)}
    assert set(pairs.values()) == {1}
    allowed = {court.id: court.sports for court in courts}
    for slot in plan.slots:
        playing = [team for match in slot.matches for team in (match.home, match.away)]
        assert len(playing) == len(set(playing))
        assert sorted(playing + list(slot.resting)) == list(range(team_count))
        used_courts = [match.court for match in slot.matches]
        assert len(used_courts) == len(set(used_courts))
        assert all(match.sport in allowed[match.court] for match in slot.matches)
    for rule in rules:
        if isinstance(rule, SportsVaryPerTeam):
            played = Counter(
                (team, match.sport) for match in plan.matches for team in (match.home, match.away)
            )
            assert max(played.values()) <= rule.at_most
        else:
            parallel = Counter((match.slot, match.sport) for match in plan.matches)
            assert max(parallel.values()) <= rule.at_most


@settings(max_examples=150, deadline=None)
@given(teams_and_courts())
def test_every_instance_gets_a_plan_or_a_relaxation_that_yields_one(instance):
    team_count, court_sports, rules = instance
    courts = [Court(index, sports) for index, sports in enumerate(court_sports)]

    answer = plan_matches(range(team_count), courts, rules)

    if isinstance(answer, Infeasible):
        if answer.proven:
            assert count_plans(range(team_count), courts, rules, limit=1) == 0
        assert answer.relaxations
        for relaxation in answer.relaxations:
            assert_plan_holds(relaxation.plan, team_count, courts, relaxation.rules)
            assert plan_matches(range(team_count), courts, relaxation.rules) == relaxation.plan
    else:
        assert_plan_holds(answer, team_count, courts, rules)
