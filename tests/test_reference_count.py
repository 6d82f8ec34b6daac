"""The counts against a plain big-integer reference, with counts and scores up to the library's bounds.

Each reference below is written for clarity, not speed: Python integers and
Fractions only, one ballot at a time, straight from the rule's documented
statement. Hypothesis draws elections whose counts reach the bounds (fewer
than 2**62 voters in all, including totals just below it) and scores up to
the documented maximum, and every round's tally and the winners must agree.
Where a reference meets a tie it stops, and the example is skipped (the
tie-breaks have their own tests). The last property runs every registered
rule on huge counts: no figure may come out negative, and any refusal must
be an ElectoralError.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election, Result, tabulate
from electoral._model import MAX_SCORE, MAX_VOTERS
from electoral.errors import ElectoralError
from electoral.rules import Stv, get, names

NAMES = ("A", "B", "C", "D", "E")
Ranked = list[tuple[tuple[str, ...], int]]
Drawn = tuple[list[str], Ranked, int]


class Tie(Exception):
    """The reference met a tie; the example says nothing about exact arithmetic."""


# -- drawing elections up to the bounds ------------------------------------------------------


@st.composite
def counts(draw: st.DrawFn, size: int) -> list[int]:
    """``size`` positive counts adding up to less than 2**62: small, spread over the range, or at its edge."""
    kind = draw(st.sampled_from(["small", "spread", "edge"]))
    if kind == "small":
        return draw(st.lists(st.integers(1, 60), min_size=size, max_size=size))
    if kind == "spread":
        return draw(st.lists(st.integers(1, (MAX_VOTERS - 1) // size), min_size=size, max_size=size))
    rest = draw(st.lists(st.integers(1, 1000), min_size=size - 1, max_size=size - 1))
    slack = draw(st.integers(0, 3))
    values = [MAX_VOTERS - 1 - sum(rest) - slack, *rest]
    return list(draw(st.permutations(values)))


@st.composite
def ranked_elections(
    draw: st.DrawFn, *, max_seats: int = 1
) -> tuple[list[str], list[tuple[tuple[str, ...], int]], int]:
    """Candidates, strict rankings (possibly truncated or blank) with counts, and seats."""
    n = draw(st.integers(1, len(NAMES)))
    people = list(NAMES[:n])
    k = draw(st.integers(1, 6))
    orders = draw(
        st.lists(
            st.lists(st.sampled_from(people), unique=True, max_size=n).map(tuple),
            min_size=k,
            max_size=k,
        )
    )
    weights = draw(counts(k))
    seats = draw(st.integers(1, min(max_seats, n)))
    return people, list(zip(orders, weights, strict=True)), seats


def build(people: list[str], ballots: list[tuple[tuple[str, ...], int]], seats: int) -> Election:
    by_name = {name: Candidate(name) for name in people}
    return Election(
        [by_name[name] for name in people],
        [Ballot([{by_name[name]} for name in order], count=count) for order, count in ballots],
        seats=seats,
    )


def tallies(result: Result) -> list[dict[str, Fraction]]:
    return [{c.name: Fraction(v) for c, v in r.tally.items()} for r in result.rounds]


# -- the references ------------------------------------------------------------------------------


def reference_plurality(
    people: list[str], ballots: list[tuple[tuple[str, ...], int]], seats: int
) -> tuple[dict[str, int], list[str]]:
    """Each ballot counts for its first preference; the ``seats`` most voted win (SNTV for several seats)."""
    tally = dict.fromkeys(people, 0)
    for order, count in ballots:
        if order:
            tally[order[0]] += count
    ranked = sorted(people, key=lambda name: -tally[name])
    if seats < len(ranked) and tally[ranked[seats - 1]] == tally[ranked[seats]]:
        raise Tie
    return tally, ranked[:seats]


def reference_instant_runoff(
    people: list[str], ballots: list[tuple[tuple[str, ...], int]]
) -> tuple[list[dict[str, int]], str]:
    """Instant-runoff: a majority of continuing votes (floor(active / 2) + 1) wins, else the lowest goes."""
    continuing = list(people)
    rounds: list[dict[str, int]] = []
    while True:
        tally = dict.fromkeys(continuing, 0)
        for order, count in ballots:
            for name in order:
                if name in tally:
                    tally[name] += count
                    break
        rounds.append(tally)
        threshold = sum(tally.values()) // 2 + 1
        reached = [name for name in continuing if tally[name] >= threshold]
        if reached:
            return rounds, reached[0]
        if len(continuing) == 1:
            return rounds, continuing[0]
        if len(continuing) == 2:
            a, b = continuing
            if tally[a] == tally[b]:
                raise Tie
            return rounds, a if tally[a] > tally[b] else b
        lowest = min(tally.values())
        level = [name for name in continuing if tally[name] == lowest]
        if len(level) > 1:
            raise Tie
        continuing.remove(level[0])


def reference_scotland(
    people: list[str], ballots: list[tuple[tuple[str, ...], int]], seats: int
) -> tuple[list[dict[str, Fraction]], list[str]]:
    """The Scottish count (SSI 2007/42, Schedule 1), with ballot papers in groups of identical papers.

    Rule 46: quota = floor(valid / (seats + 1)) + 1. Rule 48: a surplus moves
    every paper the candidate holds to its next continuing preference at
    ``value * surplus / total``, to five decimal places, remainder ignored.
    Rule 49: the largest surplus first. Rule 50: otherwise exclude the lowest,
    whose papers move at their value. Rules 51-52: when the continuing
    candidates no more than fill the seats left, they are elected.
    """
    one = 10**5  # values are held in units of 10**-5 of a vote

    hopeful = set(people)
    excluded: set[str] = set()
    elected: list[str] = []
    pending: list[str] = []

    def place(order: tuple[str, ...]) -> str | None:
        return next((name for name in order if name in hopeful), None)

    papers = [[order, count, one, place(order)] for order, count in ballots]

    def tally() -> dict[str, int]:
        totals = dict.fromkeys(people, 0)
        for _, count, value, where in papers:
            if where is not None:
                totals[where] += count * value
        return totals

    held = tally()
    quota = (sum(held.values()) // one) // (seats + 1) + 1
    rounds: list[dict[str, Fraction]] = []
    while True:
        rounds.append({name: Fraction(held[name], one) for name in people if name not in excluded})
        newly = sorted(
            (name for name in people if name in hopeful and held[name] >= quota * one), key=lambda n: -held[n]
        )
        if newly:
            left = seats - len(elected)
            if len(newly) > left and held[newly[left - 1]] == held[newly[left]]:
                raise Tie
            for name in newly[:left]:
                hopeful.discard(name)
                elected.append(name)
                if held[name] > quota * one:
                    pending.append(name)
        if len(elected) >= seats:
            return rounds, elected
        still = [name for name in people if name in hopeful]
        if len(still) <= seats - len(elected):
            return rounds, elected + still
        if pending:
            largest = max(held[name] for name in pending)
            if sum(1 for name in pending if held[name] == largest) > 1:
                raise Tie
            source = next(name for name in pending if held[name] == largest)
            pending.remove(source)
            surplus, total = held[source] - quota * one, held[source]
            moving = [paper for paper in papers if paper[3] == source]
            for paper in moving:
                paper[2] = paper[2] * surplus // total
                paper[3] = place(paper[0])
            gained = tally()
            gained[source] = 0
            for name in people:
                if name != source and name not in excluded:
                    held[name] = gained[name] if name in hopeful else held[name]
            held[source] = quota * one
        else:
            lowest = min(held[name] for name in still)
            level = [name for name in still if held[name] == lowest]
            if len(level) > 1:
                raise Tie
            (loser,) = level
            hopeful.discard(loser)
            excluded.add(loser)
            for paper in papers:
                if paper[3] == loser:
                    paper[3] = place(paper[0])
            gained = tally()
            for name in still:
                if name != loser:
                    held[name] = gained[name]
            held[loser] = 0


def reference_score(
    people: list[str], ballots: list[tuple[dict[str, int], int]], seats: int
) -> tuple[dict[str, int], list[str]]:
    """Score voting: each candidate's total is the sum of count times score (unscored: 0); the highest win."""
    totals = dict.fromkeys(people, 0)
    for scores, count in ballots:
        for name, score in scores.items():
            totals[name] += count * score
    ranked = sorted(people, key=lambda name: -totals[name])
    if seats < len(ranked) and totals[ranked[seats - 1]] == totals[ranked[seats]]:
        raise Tie
    return totals, ranked[:seats]


def outcome(function: object, *args: object) -> object:
    try:
        return function(*args)  # type: ignore[operator]
    except Tie:
        assume(False)
        raise AssertionError("unreachable") from None


# -- the properties ----------------------------------------------------------------------------


@settings(max_examples=150)
@given(drawn=ranked_elections(max_seats=3))
def test_plurality_matches_the_reference(drawn: tuple[list[str], list[tuple[tuple[str, ...], int]], int]) -> None:
    people, ballots, seats = drawn
    tally, winners = outcome(reference_plurality, people, ballots, seats)  # type: ignore[misc]
    result = tabulate(build(people, ballots, seats), "plurality", method="sntv")
    assert tallies(result)[0] == tally
    assert [c.name for c in result.winners] == winners


@settings(max_examples=150)
@given(drawn=ranked_elections())
def test_instant_runoff_matches_the_reference(drawn: tuple[list[str], list[tuple[tuple[str, ...], int]], int]) -> None:
    people, ballots, _ = drawn
    rounds, winner = outcome(reference_instant_runoff, people, ballots)  # type: ignore[misc]
    result = tabulate(build(people, ballots, 1), "instant-runoff")
    assert tallies(result) == rounds
    assert [c.name for c in result.winners] == [winner]
    assert not result.ties


@settings(max_examples=200)
@given(drawn=ranked_elections(max_seats=3))
def test_scottish_stv_matches_the_reference(drawn: tuple[list[str], list[tuple[tuple[str, ...], int]], int]) -> None:
    people, ballots, seats = drawn
    rounds, winners = outcome(reference_scotland, people, ballots, seats)  # type: ignore[misc]
    result = Stv.preset("scotland").tabulate(build(people, ballots, seats))
    assert tallies(result) == rounds
    assert [c.name for c in result.winners] == winners
    assert result.status == "decided"
    assert not result.ties


@st.composite
def score_elections(draw: st.DrawFn) -> tuple[list[str], list[tuple[dict[str, int], int]], int]:
    n = draw(st.integers(1, len(NAMES)))
    people = list(NAMES[:n])
    k = draw(st.integers(1, 5))
    edge = st.sampled_from([MAX_SCORE - 1, MAX_SCORE - 2, -(MAX_SCORE - 1), 10**18, 0, 1])
    score = st.one_of(edge, st.integers(-(MAX_SCORE - 1), MAX_SCORE - 1), st.integers(0, 10))
    marks = draw(st.lists(st.dictionaries(st.sampled_from(people), score), min_size=k, max_size=k))
    weights = draw(counts(k))
    seats = draw(st.integers(1, n))
    return people, list(zip(marks, weights, strict=True)), seats


@settings(max_examples=150)
@given(drawn=score_elections())
def test_score_matches_the_reference(drawn: tuple[list[str], list[tuple[dict[str, int], int]], int]) -> None:
    people, ballots, seats = drawn
    totals, winners = outcome(reference_score, people, ballots, seats)  # type: ignore[misc]
    by_name = {name: Candidate(name) for name in people}
    election = Election(
        [by_name[n] for n in people],
        [Ballot(scores={by_name[n]: s for n, s in marks.items()}, count=c) for marks, c in ballots],
        seats=seats,
    )
    result = tabulate(election, "score")
    assert tallies(result)[0] == totals
    assert [c.name for c in result.winners] == winners


def test_the_scottish_reference_agrees_on_a_hand_count() -> None:
    """The reference itself, on a count done by hand: 2 seats, quota floor(12/3) + 1 = 5.

    A has 8, a surplus of 3 over 8 papers: each A>B paper moves at 3/8 =
    0.37500 (5 of them: 1.875 to B), each A>C paper likewise (3: 1.125 to C).
    Then B has 3.875, C 2.125, D 1: D is excluded (to C: 3.125), then C is
    excluded and B, the only one left, fills the second seat.
    """
    rounds, winners = reference_scotland(
        ["A", "B", "C", "D"], [(("A", "B"), 5), (("A", "C"), 3), (("B",), 2), (("C",), 1), (("D", "C"), 1)], 2
    )
    assert winners == ["A", "B"]
    assert rounds[1] == {"A": 5, "B": Fraction(3875, 1000), "C": Fraction(2125, 1000), "D": 1}
    assert rounds[2] == {"A": 5, "B": Fraction(3875, 1000), "C": Fraction(3125, 1000)}


# -- every rule, at the bounds ----------------------------------------------------------------------


def _figures(result: Result) -> Iterator[tuple[str, Fraction]]:
    for r in result.rounds:
        for value in r.tally.values():
            yield "tally", Fraction(value)
        for value in r.set_aside.values():
            yield "set aside", Fraction(value)
        for transfer in r.transfers:
            yield "transfer", Fraction(transfer.votes)
        for name in ("ballots", "continuing"):
            value = getattr(r, name)
            if value is not None:
                yield name, Fraction(value)


@st.composite
def huge_elections(draw: st.DrawFn, marks: str) -> list[Ballot]:
    people = [Candidate(name) for name in NAMES[: draw(st.integers(1, 4))]]
    k = draw(st.integers(1, 5))
    weights = draw(counts(k))
    pick = st.lists(st.sampled_from(people), unique=True, min_size=1, max_size=len(people))
    out: list[Ballot] = []
    for weight in weights:
        chosen = draw(pick)
        if marks == "scores":
            values = draw(
                st.lists(st.sampled_from([0, 1, MAX_SCORE - 1, 10**18]), min_size=len(chosen), max_size=len(chosen))
            )
            out.append(Ballot(scores=dict(zip(chosen, values, strict=True)), count=weight))
        elif marks == "approval":
            out.append(Ballot([set(chosen)], count=weight))
        elif marks == "single":
            out.append(Ballot([{chosen[0]}], count=weight))
        else:
            out.append(Ballot([{c} for c in chosen], count=weight))
    return out


def _marks_of(name: str) -> str:
    marks = get(name).info.marks
    for kind in ("scores", "ranking", "approval", "single"):
        if kind in marks:
            return kind
    raise AssertionError(marks)


@pytest.mark.parametrize("name", names())
@settings(max_examples=25)
@given(data=st.data())
def test_huge_counts_never_give_a_negative_figure(name: str, data: st.DataObject) -> None:
    """Every registered rule, on counts up to the bound: no negative figure, and only ElectoralError refusals.

    Minimax included: a candidate nobody beats has a worst defeat of 0.
    """
    ballots = data.draw(huge_elections(_marks_of(name)))
    people = sorted({c for b in ballots for c in b.candidates()}, key=lambda c: c.name)
    apportions = get(name).info.apportions
    seats = data.draw(st.integers(1, 2)) if get(name).info.winners == "multiple" else 1
    try:
        election = Election(people, ballots, seats=min(seats, len(people)) if not apportions else seats)
        result = tabulate(election, name)
    except ElectoralError:
        return
    negative = [(what, value) for what, value in _figures(result) if value < 0]
    assert not negative


def test_huge_stv_transfers_stay_exact() -> None:
    """A surplus of about 2**61 votes, moved at a value of five decimals, matches the reference to the last digit."""
    ballots: Sequence[tuple[tuple[str, ...], int]] = [
        (("A", "B"), 2**61 + 12345),
        (("A", "C"), 2**60 - 999),
        (("B",), 2**59 + 7),
        (("C", "B"), 2**58 + 3),
        (("D", "C"), 2**57 + 1),
    ]
    people = ["A", "B", "C", "D"]
    rounds, winners = reference_scotland(people, list(ballots), 2)
    result = Stv.preset("scotland").tabulate(build(people, list(ballots), 2))
    assert tallies(result) == rounds
    assert [c.name for c in result.winners] == winners
