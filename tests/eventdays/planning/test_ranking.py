import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventdays.planning.ranking import (
    DEFAULT_CHAIN,
    Criterion,
    Placing,
    Score,
    Scoring,
    rank,
)

POINTS, HEAD_TO_HEAD = Criterion.POINTS, Criterion.HEAD_TO_HEAD
GOAL_DIFFERENCE, GOALS_SCORED, FAIR_PLAY = (
    Criterion.GOAL_DIFFERENCE,
    Criterion.GOALS_SCORED,
    Criterion.FAIR_PLAY,
)


def summary(standings):
    return [(s.rank, s.team, s.ahead_by, s.level_on, s.ex_aequo) for s in standings]


def test_placement_points_are_4_3_2_1_by_default_and_shared_places_skip_the_next():
    placings = [
        Placing("quiz", "A", 1),
        Placing("quiz", "B", 2),
        Placing("quiz", "C", 2),
        Placing("quiz", "D", 4),
        Placing("danse", "D", 1),
        Placing("danse", "C", 2),
        Placing("danse", "B", 3),
        Placing("danse", "A", 4),
    ]

    standings = rank("ABCD", placings, chain=[POINTS])

    assert [(s.team, s.totals.points) for s in standings] == [
        ("C", 6),
        ("A", 5),
        ("B", 5),
        ("D", 5),
    ]
    assert summary(standings) == [
        (1, "C", POINTS, (), False),
        (2, "A", None, (), True),
        (2, "B", None, (), True),
        (2, "D", None, (), True),
    ]


def test_points_per_place_and_per_result_are_configurable():
    scoring = Scoring(placement_points=(5, 3, 2, 1), win=2, draw=1, loss=0)
    placings = [Placing("chant", "A", 1), Placing("chant", "B", 2), Placing("chant", "C", 5)]
    scores = [Score("B", "C", 2, 2), Score("C", "A", 1, 0)]

    standings = rank("ABC", placings, scores, scoring=scoring, chain=[POINTS])

    assert {s.team: s.totals.points for s in standings} == {"A": 5, "B": 4, "C": 3}


def three_level_on_points():
    """A, B and C each beat D and win one of their three matches among themselves.

    Among the three, A is ahead (goal difference of that mini-league), B and C level;
    between B and C alone, B won. Overall, C has the best goal difference."""
    return [
        Score("A", "B", 3, 0),
        Score("C", "A", 2, 1),
        Score("B", "C", 3, 1),
        Score("A", "D", 1, 0),
        Score("B", "D", 1, 0),
        Score("C", "D", 5, 0),
    ]


def test_a_three_way_tie_is_broken_by_head_to_head_applied_again_to_the_two_still_level():
    standings = rank("ABCD", scores=three_level_on_points())

    assert summary(standings) == [
        (1, "A", HEAD_TO_HEAD, (POINTS,), False),
        (2, "B", HEAD_TO_HEAD, (POINTS,), False),
        (3, "C", POINTS, (), False),
        (4, "D", None, (), False),
    ]
    assert [s.totals.points for s in standings] == [6, 6, 6, 0]


def test_the_order_of_the_chain_decides():
    standings = rank("ABCD", scores=three_level_on_points(), chain=[POINTS, GOAL_DIFFERENCE])

    assert [s.team for s in standings] == ["C", "A", "B", "D"]
    assert summary(standings)[0] == (1, "C", GOAL_DIFFERENCE, (POINTS,), False)


def rock_paper_scissors():
    return [
        Score("A", "B", 1, 0),
        Score("B", "C", 1, 0),
        Score("C", "A", 1, 0),
        Score("A", "D", 1, 0),
        Score("B", "D", 1, 0),
        Score("C", "D", 1, 0),
    ]


def test_when_head_to_head_cannot_break_a_tie_the_chain_goes_on_to_fair_play():
    standings = rank("ABCD", scores=rock_paper_scissors(), fair_play={"A": 10, "B": 8, "C": 8})

    assert summary(standings) == [
        (1, "A", FAIR_PLAY, (POINTS, HEAD_TO_HEAD, GOAL_DIFFERENCE, GOALS_SCORED), False),
        (2, "B", POINTS, (), True),
        (2, "C", POINTS, (), True),
        (4, "D", None, (), False),
    ]


def test_teams_nothing_separates_are_ex_aequo_and_share_their_rank():
    standings = rank("ABCD", scores=rock_paper_scissors(), chain=[POINTS, HEAD_TO_HEAD])

    assert summary(standings) == [
        (1, "A", POINTS, (), True),
        (1, "B", POINTS, (), True),
        (1, "C", POINTS, (), True),
        (4, "D", None, (), False),
    ]


def test_results_naming_an_unknown_team_or_two_places_in_one_activity_are_refused():
    with pytest.raises(ValueError, match="not ranked"):
        rank("AB", [Placing("quiz", "Z", 1)])
    with pytest.raises(ValueError, match="two places"):
        rank("AB", [Placing("quiz", "A", 1), Placing("quiz", "A", 2)])
    with pytest.raises(ValueError, match="once in the chain"):
        rank("AB", chain=[POINTS, POINTS])


@st.composite
def days(draw):
    teams = list(range(draw(st.integers(2, 6))))
    activities = draw(st.integers(0, 3))
    placings = [
        Placing(activity, team, draw(st.integers(1, len(teams))))
        for activity in range(activities)
        for team in teams
    ]
    pairs = draw(st.lists(st.sampled_from(list(itertools.combinations(teams, 2))), unique=True))
    scores = [
        Score(home, away, draw(st.integers(0, 3)), draw(st.integers(0, 3))) for home, away in pairs
    ]
    fair_play = {team: draw(st.integers(0, 2)) for team in teams}
    chain = draw(st.permutations(DEFAULT_CHAIN))[: draw(st.integers(0, len(DEFAULT_CHAIN)))]
    return teams, placings, scores, fair_play, chain


OVERALL = {
    POINTS: lambda totals: totals.points,
    GOAL_DIFFERENCE: lambda totals: totals.goal_difference,
    GOALS_SCORED: lambda totals: totals.goals_scored,
    FAIR_PLAY: lambda totals: totals.fair_play,
}


@settings(max_examples=300, deadline=None)
@given(days())
def test_the_ranking_is_a_total_preorder_consistent_with_the_chain(day):
    teams, placings, scores, fair_play, chain = day

    standings = rank(teams, placings, scores, fair_play, chain=chain)

    assert sorted(s.team for s in standings) == teams
    for standing in standings:
        ahead = [other for other in standings if other.rank < standing.rank]
        assert standing.rank == len(ahead) + 1
        level = [other for other in standings if other.rank == standing.rank]
        assert standing.ex_aequo == (len(level) > 1)
        for other in level:
            assert all(
                OVERALL[c](other.totals) == OVERALL[c](standing.totals)
                for c in chain
                if c in OVERALL
            )
        following = [other for other in standings if other.rank > standing.rank]
        if not following:
            assert standing.ahead_by is None
            continue
        below = following[0]
        assert standing.level_on == tuple(chain[: chain.index(standing.ahead_by)])
        for criterion in standing.level_on:
            if criterion in OVERALL:
                assert OVERALL[criterion](standing.totals) == OVERALL[criterion](below.totals)
        if standing.ahead_by in OVERALL:
            assert OVERALL[standing.ahead_by](standing.totals) > OVERALL[standing.ahead_by](
                below.totals
            )
    if HEAD_TO_HEAD not in chain:
        keys = [tuple(OVERALL[c](s.totals) for c in chain) for s in standings]
        assert keys == sorted(keys, reverse=True)
        assert [s.rank for s in standings] == [1 + keys.index(key) for key in keys]


@settings(max_examples=200, deadline=None)
@given(days(), st.randoms(use_true_random=False))
def test_permuting_the_input_order_never_changes_the_ranking(day, random):
    teams, placings, scores, fair_play, chain = day
    shuffled = [list(values) for values in (teams, placings, scores)]
    for values in shuffled:
        random.shuffle(values)

    assert rank(*shuffled, fair_play, chain=chain) == rank(
        teams, placings, scores, fair_play, chain=chain
    )
