"""Who follows up with whom after an "Adopte un pro" day.

Each young person ranks up to three of the people they met, the ones they felt best with
(`Choice`); each pro and counsellor marks young people, best first (`Marks`). A choice
made both ways is mutual:

- with a counsellor, it becomes a follow-up (an invitation to book with them), within
  the follow-ups the counsellor can take (`capacities`). When more young people choose
  a counsellor mutually than that, a stable matching decides (hospital–resident, the
  young people proposing): no young person and counsellor would both rather have each
  other than what they got, and each young person gets the best counsellor any such
  matching can give them;
- with an employer (anyone not in `capacities`), a contact handover, made only once both
  have consented: this module returns the pair and who must consent (`Handover`).

Nobody is left without an answer: `follow_ups` gives each young person an `Answer`, with
their counsellor and handovers, the counsellors they preferred whose follow-ups went to
others, and, when they get nothing, why (`Reason`) and the fallback: a counsellor of the
structure (`STRUCTURE`). Ids are whatever hashable values the caller stores.
"""

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

STRUCTURE = "structure"  # the fallback: "un conseiller de la structure"


class Reason(StrEnum):
    NO_CHOICE = "no_choice"  # they chose nobody
    NOT_CHOSEN_BACK = "not_chosen_back"  # nobody they chose marked them
    COUNSELLORS_FULL = "counsellors_full"  # their mutual counsellors' follow-ups went to others


@dataclass(frozen=True)
class Choice:
    young: Hashable
    ranked: tuple[Hashable, ...]  # pros and counsellors, best first


@dataclass(frozen=True)
class Marks:
    by: Hashable  # a pro or a counsellor
    young: tuple[Hashable, ...]  # best first


@dataclass(frozen=True)
class Handover:
    young: Hashable
    employer: Hashable

    @property
    def must_consent(self):
        return (self.young, self.employer)


@dataclass(frozen=True)
class Answer:
    young: Hashable
    mutual: tuple[Hashable, ...]  # everyone they chose who marked them, in their order
    counsellor: Hashable | None = None
    handovers: tuple[Handover, ...] = ()
    passed_over: tuple[Hashable, ...] = ()  # mutual counsellors they ranked higher, full
    reason: Reason | None = None
    fallback: Hashable | None = None


def follow_ups(
    young: Iterable[Hashable],
    choices: Iterable[Choice],
    marks: Iterable[Marks],
    capacities: Mapping[Hashable, int],
) -> dict[Hashable, Answer]:
    """Every young person's answer, in the order of `young` (a person chosen twice
    counts once)."""
    ranked = {choice.young: tuple(dict.fromkeys(choice.ranked)) for choice in choices}
    marked = {mark.by: mark.young for mark in marks}
    mutual = {
        person: tuple(
            chosen for chosen in ranked.get(person, ()) if person in marked.get(chosen, ())
        )
        for person in young
    }
    counsellor_of = stable_matching(
        {
            person: [chosen for chosen in chosen_back if chosen in capacities]
            for person, chosen_back in mutual.items()
        },
        {counsellor: marked.get(counsellor, ()) for counsellor in capacities},
        capacities,
    )
    answers = {}
    for person, chosen_back in mutual.items():
        counsellor = counsellor_of.get(person)
        counsellors = [chosen for chosen in chosen_back if chosen in capacities]
        passed_over = tuple(
            counsellors[: counsellors.index(counsellor)] if counsellor is not None else counsellors
        )
        handovers = tuple(
            Handover(person, chosen) for chosen in chosen_back if chosen not in capacities
        )
        reason = None
        if counsellor is None and not handovers:
            if not ranked.get(person):
                reason = Reason.NO_CHOICE
            elif not chosen_back:
                reason = Reason.NOT_CHOSEN_BACK
            else:
                reason = Reason.COUNSELLORS_FULL
        answers[person] = Answer(
            person,
            chosen_back,
            counsellor,
            handovers,
            passed_over,
            reason,
            STRUCTURE if reason else None,
        )
    return answers


def stable_matching(
    preferences: Mapping[Hashable, list[Hashable]],
    rankings: Mapping[Hashable, Iterable[Hashable]],
    capacities: Mapping[Hashable, int],
) -> dict[Hashable, Hashable]:
    """The young-optimal stable matching (Gale–Shapley, the young proposing): each young
    person asks the counsellors of `preferences` in turn; a counsellor holds the best
    `capacities` of those who asked, by `rankings`, and turns the others away, who ask
    their next. Every pair listed must be acceptable to both sides."""
    rank = {counsellor: {person: index for index, person in enumerate(ranking)}
            for counsellor, ranking in rankings.items()}  # fmt: skip
    held = {counsellor: [] for counsellor in capacities}
    asked = dict.fromkeys(preferences, 0)
    waiting = deque(preferences)
    while waiting:
        person = waiting.popleft()
        if asked[person] == len(preferences[person]):
            continue
        counsellor = preferences[person][asked[person]]
        asked[person] += 1
        held[counsellor].append(person)
        if len(held[counsellor]) > capacities[counsellor]:
            turned_away = max(held[counsellor], key=rank[counsellor].__getitem__)
            held[counsellor].remove(turned_away)
            waiting.append(turned_away)
    return {person: counsellor for counsellor, people in held.items() for person in people}
