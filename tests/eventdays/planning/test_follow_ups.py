"""Follow-ups after the day: mutual choices, the stable matching that shares an
over-chosen counsellor, and an answer for everyone."""

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from eventdays.planning.follow_ups import (
    STRUCTURE,
    Answer,
    Choice,
    Handover,
    Marks,
    Reason,
    follow_ups,
    stable_matching,
)

COUNSELLORS = {"samia": 1, "julien": 2}


def test_a_mutual_choice_of_a_counsellor_is_a_follow_up_with_them():
    answers = follow_ups(
        ["lina"], [Choice("lina", ("samia",))], [Marks("samia", ("lina",))], COUNSELLORS
    )

    assert answers["lina"] == Answer("lina", mutual=("samia",), counsellor="samia")


def test_a_mutual_choice_of_an_employer_is_a_handover_both_must_consent_to():
    answers = follow_ups(
        ["lina"],
        [Choice("lina", ("garage-martin",))],
        [Marks("garage-martin", ("lina",))],
        COUNSELLORS,
    )

    assert answers["lina"].handovers == (Handover("lina", "garage-martin"),)
    assert answers["lina"].handovers[0].must_consent == ("lina", "garage-martin")
    assert answers["lina"].reason is None


def test_an_over_chosen_counsellor_follows_whom_they_marked_first():
    """Samia can follow one: Yanis, whom she marked first; Lina gets her next mutual
    choice, and is told Samia was full."""
    answers = follow_ups(
        ["lina", "yanis"],
        [Choice("lina", ("samia", "julien")), Choice("yanis", ("samia",))],
        [Marks("samia", ("yanis", "lina")), Marks("julien", ("lina",))],
        COUNSELLORS,
    )

    assert answers["yanis"].counsellor == "samia"
    assert answers["lina"] == Answer(
        "lina", mutual=("samia", "julien"), counsellor="julien", passed_over=("samia",)
    )


def test_a_counsellor_chosen_twice_by_one_person_counts_once():
    answers = follow_ups(
        ["lina", "yanis"],
        [Choice("lina", ("samia", "samia")), Choice("yanis", ("samia",))],
        [Marks("samia", ("yanis", "lina"))],
        {"samia": 1},
    )

    assert answers["lina"] == Answer(
        "lina",
        mutual=("samia",),
        passed_over=("samia",),
        reason=Reason.COUNSELLORS_FULL,
        fallback=STRUCTURE,
    )


def test_nobody_is_left_without_an_answer():
    answers = follow_ups(
        ["lina", "yanis", "sami", "eva"],
        [Choice("lina", ("samia",)), Choice("yanis", ("samia",)), Choice("sami", ("julien",))],
        [Marks("samia", ("yanis", "lina"))],
        COUNSELLORS,
    )

    assert answers["lina"].reason == Reason.COUNSELLORS_FULL
    assert answers["lina"].passed_over == ("samia",)
    assert answers["sami"].reason == Reason.NOT_CHOSEN_BACK
    assert answers["eva"].reason == Reason.NO_CHOICE
    assert {answers[person].fallback for person in ("lina", "sami", "eva")} == {STRUCTURE}
    assert answers["yanis"].fallback is None


def test_a_full_counsellor_and_a_mutual_employer_leave_the_handover():
    answers = follow_ups(
        ["lina", "yanis"],
        [Choice("lina", ("samia", "garage-martin")), Choice("yanis", ("samia",))],
        [Marks("samia", ("yanis", "lina")), Marks("garage-martin", ("lina",))],
        COUNSELLORS,
    )

    assert answers["lina"] == Answer(
        "lina",
        mutual=("samia", "garage-martin"),
        handovers=(Handover("lina", "garage-martin"),),
        passed_over=("samia",),
    )


@st.composite
def markets(draw, max_young=5, max_counsellors=3):
    """Mutual preferences only, as `follow_ups` passes them: young people's ranked
    counsellors, each counsellor's ranking of those who chose them, capacities."""
    counsellors = [f"c{index}" for index in range(draw(st.integers(1, max_counsellors)))]
    young = [f"y{index}" for index in range(draw(st.integers(1, max_young)))]
    preferences = {
        person: draw(st.lists(st.sampled_from(counsellors), unique=True, max_size=3))
        for person in young
    }
    rankings = {
        counsellor: draw(st.permutations([p for p in young if counsellor in preferences[p]]))
        for counsellor in counsellors
    }
    capacities = {counsellor: draw(st.integers(0, 2)) for counsellor in counsellors}
    return preferences, rankings, capacities


def blocking_pairs(matching, preferences, rankings, capacities):
    """(young, counsellor) who would both rather have each other than what they got."""

    def prefers(person, counsellor):
        current = matching.get(person)
        order = preferences[person]
        return current is None or order.index(counsellor) < order.index(current)

    def would_take(counsellor, person):
        held = [other for other, at in matching.items() if at == counsellor]
        if len(held) < capacities[counsellor]:
            return True
        rank = rankings[counsellor]
        return any(rank.index(person) < rank.index(other) for other in held)

    return [
        (person, counsellor)
        for person, order in preferences.items()
        for counsellor in order
        if matching.get(person) != counsellor
        and prefers(person, counsellor)
        and would_take(counsellor, person)
    ]


def stable_matchings_by_brute_force(preferences, rankings, capacities):
    people = list(preferences)
    for picks in product(*([None, *preferences[person]] for person in people)):
        matching = {person: pick for person, pick in zip(people, picks, strict=True) if pick}
        held = [matching.get(person) for person in people]
        if all(held.count(counsellor) <= capacity for counsellor, capacity in capacities.items()):
            if not blocking_pairs(matching, preferences, rankings, capacities):
                yield matching


@settings(max_examples=100)
@given(markets(max_young=12, max_counsellors=5))
def test_the_matching_is_stable_and_holds_the_capacities(market):
    preferences, rankings, capacities = market

    matching = stable_matching(preferences, rankings, capacities)

    assert all(
        list(matching.values()).count(counsellor) <= capacity
        for counsellor, capacity in capacities.items()
    )
    assert all(counsellor in preferences[person] for person, counsellor in matching.items())
    assert blocking_pairs(matching, preferences, rankings, capacities) == []


@settings(max_examples=100)
@given(markets())
def test_each_young_person_gets_the_best_counsellor_of_any_stable_matching(market):
    preferences, rankings, capacities = market

    matching = stable_matching(preferences, rankings, capacities)

    for stable in stable_matchings_by_brute_force(preferences, rankings, capacities):
        for person, order in preferences.items():
            if person in stable:
                assert person in matching
                assert order.index(matching[person]) <= order.index(stable[person])


@settings(max_examples=100)
@given(st.data())
def test_every_young_person_gets_a_follow_up_or_a_reason_and_a_fallback(data):
    young = [f"y{index}" for index in range(data.draw(st.integers(1, 15)))]
    people = [*COUNSELLORS, "garage-martin", "mairie"]
    choices = [
        Choice(person, tuple(data.draw(st.lists(st.sampled_from(people), unique=True, max_size=3))))
        for person in young
    ]
    marks = [
        Marks(by, tuple(data.draw(st.lists(st.sampled_from(young), unique=True)))) for by in people
    ]

    answers = follow_ups(young, choices, marks, COUNSELLORS)

    assert list(answers) == young
    for answer in answers.values():
        followed = answer.counsellor is not None or bool(answer.handovers)
        assert followed != (answer.reason is not None)
        assert (answer.fallback == STRUCTURE) == (answer.reason is not None)
    taken = [answer.counsellor for answer in answers.values()]
    assert all(taken.count(counsellor) <= capacity for counsellor, capacity in COUNSELLORS.items())


def test_ids_are_any_hashable_value_zero_included():
    answers = follow_ups([7], [Choice(7, (0,))], [Marks(0, (7,))], {0: 1})

    assert answers[7] == Answer(7, mutual=(0,), counsellor=0)
