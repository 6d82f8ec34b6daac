"""Borda, Dowdall and anti-plurality: worked examples, truncation conventions, and consistency."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Election, tabulate
from electoral.errors import MarkError, OptionError
from electoral.testing.strategies import ballots, candidates

POSITIONAL = ["borda", "dowdall", "anti-plurality"]


def tally(election: Election, rule: str, **options: object) -> dict[str, object]:
    return {c.name: v for c, v in tabulate(election, rule, **options).rounds[0].tally.items()}


def test_borda_truncation_conventions_worked_example() -> None:
    # Candidates A, B, C, D; ballots "A>B" ×2 and "C>A=B>D" ×1.
    # average: A>B gives A 3, B 2, C and D share positions 2,3 -> 1/2 each.
    #          C>A=B>D gives C 3, A and B share 2,1 -> 3/2 each, D 0.
    #          A = 2*3 + 3/2 = 15/2, B = 2*2 + 3/2 = 11/2, C = 2*1/2 + 3 = 4, D = 2*1/2 = 1.
    # zero:    unranked get 0: A = 6 + 3/2, B = 4 + 3/2, C = 3, D = 0.
    # modified: A>B ranks m=2: A 2, B 1; C>A=B>D ranks 4: C 4, A=B share 3,2 -> 5/2, D 1.
    e = Election.from_rankings({"A>B": 2, "C>A=B>D": 1}, candidates=["A", "B", "C", "D"])
    assert tally(e, "borda") == {"A": Fraction(15, 2), "B": Fraction(11, 2), "C": 4, "D": 1}
    assert tally(e, "borda", unranked="zero") == {"A": Fraction(15, 2), "B": Fraction(11, 2), "C": 3, "D": 0}
    assert tally(e, "borda", unranked="modified") == {"A": Fraction(13, 2), "B": Fraction(9, 2), "C": 4, "D": 1}


def test_dowdall_and_anti_plurality_worked_example() -> None:
    # "A>B>C" ×2, "B>C>A" ×1. Dowdall: A = 2 + 1/3, B = 2*1/2 + 1, C = 2*1/3 + 1/2.
    # Anti-plurality: C vetoed twice, A once: A 2, B 3, C 1.
    e = Election.from_rankings({"A>B>C": 2, "B>C>A": 1})
    assert tally(e, "dowdall") == {"A": Fraction(7, 3), "B": 2, "C": Fraction(7, 6)}
    assert tally(e, "anti-plurality") == {"A": 2, "B": 3, "C": 1}


@settings(max_examples=40)
@given(
    election=candidates(min_size=2, max_size=5).flatmap(
        lambda people: st.lists(ballots(people, equal_ranks=True, skipped_ranks=True), max_size=8).map(
            lambda bs: Election(people, bs)
        )
    )
)
def test_averaged_borda_is_pairwise_support_plus_half_ties(election: Election) -> None:
    """Averaged Borda equals, for each other candidate, the voters preferring the candidate plus half
    of those with no preference — the identity that ties the positional and pairwise conventions."""
    matrix = election.pairwise()
    n = len(election.candidates)
    expected = {
        c.name: sum(
            (
                int(matrix.support[a, b])
                + Fraction(matrix.voters - int(matrix.support[a, b]) - int(matrix.support[b, a]), 2)
                for b in range(n)
                if b != a
            ),
            Fraction(0),
        )
        for a, c in enumerate(election.candidates)
    }
    assert tally(election, "borda") == expected


@st.composite
def two_electorates(draw: st.DrawFn) -> tuple[Election, Election, Election]:
    people = draw(candidates(min_size=2, max_size=4))
    first = draw(st.lists(ballots(people), min_size=1, max_size=6))
    second = draw(st.lists(ballots(people), min_size=1, max_size=6))
    return Election(people, first), Election(people, second), Election(people, first + second)


@pytest.mark.parametrize("rule", POSITIONAL)
@settings(max_examples=40)
@given(data=two_electorates())
def test_consistency(rule: str, data: tuple[Election, Election, Election]) -> None:
    """Consistency (Young 1975): "if two disjoint electorates' winner sets intersect, the combined
    electorate's winner set is exactly that intersection" — true of every scoring rule."""
    first, second, union = data

    def won(e: Election) -> set[str]:
        return {c.name for c in tabulate(e, rule, tie_break="all").winners}

    common = won(first) & won(second)
    if common:
        assert won(union) == common


def test_positional_rules_refuse_score_ballots_and_bad_options() -> None:
    e = Election.from_rankings({"A:5,B:3": 1})
    with pytest.raises(MarkError, match="rule 'borda' reads rankings, but ballot 'A:5,B:3' carries scores"):
        tabulate(e, "borda")
    with pytest.raises(OptionError, match="unranked='half'"):
        tabulate(Election.from_rankings({"A>B": 1}), "borda", unranked="half")


def test_borda_with_seats_elects_the_highest_scores() -> None:
    # A>B>C ×3, B>C>A ×2: A = 6, B = 3 + 4 = 7, C = 2; two seats go to B and A.
    e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2}, seats=2)
    assert [c.name for c in tabulate(e, "borda").winners] == ["B", "A"]


def test_borda_conventions_on_strict_truncated_ballots() -> None:
    # "A>B" ×2 and "C>A>D" ×1 among A, B, C, D (one candidate per rank: the per-column fast path).
    # average: A>B gives A 3, B 2, C and D 1/2 each; C>A>D gives C 3, A 2, D 1, B 0.
    #          A = 6 + 2 = 8, B = 4, C = 1 + 3 = 4, D = 1 + 1 = 2.
    # zero:    A = 8, B = 4, C = 3, D = 1.
    # modified: A>B ranks 2: A 2, B 1; C>A>D ranks 3: C 3, A 2, D 1. A = 6, B = 2, C = 3, D = 1.
    e = Election.from_rankings({"A>B": 2, "C>A>D": 1}, candidates=["A", "B", "C", "D"])
    assert tally(e, "borda") == {"A": 8, "B": 4, "C": 4, "D": 2}
    assert tally(e, "borda", unranked="zero") == {"A": 8, "B": 4, "C": 3, "D": 1}
    assert tally(e, "borda", unranked="modified") == {"A": 6, "B": 2, "C": 3, "D": 1}
