"""Coombs, Baldwin, Nanson and Bucklin: worked examples, parallel universes, and monotonicity."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Ballot, Election, tabulate
from electoral.rules import names
from electoral.testing.strategies import elections

COMPLETE = elections(min_candidates=2, max_candidates=4, max_ballots=8, extra_counts=False)


def winners(election: Election, rule: str) -> set[str]:
    return {c.name for c in tabulate(election, rule, tie_break="all").winners}


def test_coombs_rounds_worked_example() -> None:
    # A>B>C ×4, B>C>A ×3, C>B>A ×2 (9 voters). Round 1 first preferences A 4, B 3, C 2: no majority.
    # Last places: A 5 (3 + 2), C 4: A is eliminated. Round 2: B 4 + 3 = 7 > 9/2, so B wins.
    e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>B>A": 2})
    result = tabulate(e, "coombs")
    assert [r.tally[e.candidate("A")] for r in result.rounds[:1]] == [4]
    assert [c.name for c in result.rounds[0].eliminated] == ["A"]
    assert result.winner.name == "B"
    assert len(result.rounds) == 2
    assert "last places: A 5, B 0, C 4" in result.rounds[0].note


def test_coombs_splits_tied_bottoms() -> None:
    # "A" alone among A, B, C leaves B and C tied last: each gets half of its last-place vote.
    e = Election.from_rankings({"A": 1, "B>C>A": 1, "C>A>B": 1})
    note = tabulate(e, "coombs", tie_break="all").rounds[0].note
    assert "B 3/2" in note
    assert "C 1/2" in note


def test_baldwin_and_nanson_rounds() -> None:
    # A>B>C ×3, B>C>A ×2, C>A>B ×2: Borda A 3*2+0+2*1 = 8, B 3+4+0 = 7, C 0+2+4 = 6.
    # Baldwin drops C, then A beats B 5 to 2. Nanson drops C (6 < 7, the mean), then the same.
    e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>A>B": 2})
    for rule in ("baldwin", "nanson"):
        result = tabulate(e, rule)
        assert {c.name: v for c, v in result.rounds[0].tally.items()} == {"A": 8, "B": 7, "C": 6}
        assert [c.name for c in result.rounds[0].eliminated] == ["C"]
        assert result.winner.name == "A"


def test_bucklin_adds_ranks_until_a_majority() -> None:
    # A>B>C ×4, B>C>A ×3, C>B>A ×2: round 1 A 4 of 9, no majority; round 2 B 4 + 3 + 2 = 9 wins.
    e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>B>A": 2})
    result = tabulate(e, "bucklin")
    assert [{c.name: v for c, v in r.tally.items()} for r in result.rounds] == [
        {"A": 4, "B": 3, "C": 2},
        {"A": 4, "B": 9, "C": 5},
    ]
    assert result.rounds[0].threshold == Fraction(1, 2)


def test_parallel_universes_for_baldwin() -> None:
    # A 3-cycle with equal Borda scores: every elimination order is followed, and each candidate wins in one.
    e = Election.from_rankings({"A>B>C": 1, "B>C>A": 1, "C>A>B": 1})
    result = tabulate(e, "baldwin", tie_break="all")
    assert {c.name for c in result.winners} == {"A", "B", "C"}
    assert result.status == "tied"
    assert tabulate(e, "baldwin").status == "tied"


@st.composite
def raised(draw: st.DrawFn, rule: str) -> tuple[Election, Election, str]:
    election = draw(COMPLETE)
    won = winners(election, rule)
    if not won or not election.ballots:
        return election, election, ""
    target = draw(st.sampled_from(sorted(won)))
    index = draw(st.integers(0, len(election.ballots) - 1))
    ballots = list(election.ballots)
    ranks = list(ballots[index].ranking)
    where = next((i for i, rank in enumerate(ranks) if any(c.name == target for c in rank)), None)
    if where is None or where == 0:
        return election, election, target
    ranks[where - 1], ranks[where] = ranks[where], ranks[where - 1]
    ballots[index] = Ballot(ranks, count=ballots[index].count)
    return election, election.with_ballots(ballots), target


MONOTONE = ["bucklin", "borda", "copeland", "minimax", "schulze", "ranked-pairs", "split-cycle", "kemeny-young"]


@pytest.mark.parametrize("rule", MONOTONE)
@settings(max_examples=30)
@given(data=st.data())
def test_monotonicity(rule: str, data: st.DataObject) -> None:
    """Monotonicity: "if a winner is raised on some ballots, all else unchanged, it still wins" —
    guaranteed by these rules (not by Coombs, Baldwin, Nanson or instant-runoff)."""
    _, after, target = data.draw(raised(rule))
    if target:
        assert target in winners(after, rule)


@pytest.mark.skipif("instant-runoff" not in names(), reason="instant-runoff is not registered")
def test_instant_runoff_is_not_monotonic() -> None:
    # Before: first preferences A 6, B 2 + 4 = 6, C 5: C is eliminated, its 5 go to A, and A wins 11 to 6.
    # After two B>A>C voters raise A to first (A>B>C): A 8, B 4, C 5: B is eliminated, the 4 B>C>A
    # ballots go to C, and C wins 9 to 8 — raising the winner made it lose.
    before = Election.from_rankings({"A>B>C": 6, "B>A>C": 2, "C>A>B": 5, "B>C>A": 4})
    after = Election.from_rankings({"A>B>C": 8, "C>A>B": 5, "B>C>A": 4})
    assert tabulate(before, "instant-runoff").winner.name == "A"
    assert tabulate(after, "instant-runoff").winner.name == "C"
